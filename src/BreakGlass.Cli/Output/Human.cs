using System.Globalization;
using BreakGlass.Cli.Service;
using Spectre.Console;

namespace BreakGlass.Cli.Output;

/// <summary>How times, grants and states read for a person at 3 AM.</summary>
internal static class Human
{
    public static IAnsiConsole Console(TextWriter writer) =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.Detect, ColorSystem = ColorSystemSupport.Detect });

    /// <summary>"3h 59m", "12m", "40s".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span.TotalHours >= 1) return $"{(int)span.TotalHours}h {span.Minutes:00}m";
        return span.TotalMinutes >= 1 ? $"{span.Minutes}m" : $"{span.Seconds}s";
    }

    /// <summary>Time left in colour: green with room, yellow under 30 minutes, red under 10; grey once ended.</summary>
    public static string TimeLeft(GrantView grant, DateTimeOffset now)
    {
        if (!grant.IsOpenAt(now)) return "[grey]ended[/]";
        var left = grant.ExpiresAt - now;
        var colour = left < TimeSpan.FromMinutes(10) ? "red" : left < TimeSpan.FromMinutes(30) ? "yellow" : "green";
        return $"[{colour}]{Duration(left)} left[/]";
    }

    /// <summary>The engineer's local time and UTC: on-call rotations cross time zones.</summary>
    public static string When(DateTimeOffset moment) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{moment.ToLocalTime():yyyy-MM-dd HH:mm:ss zzz} local · {moment.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");

    public static string Ticket(TicketView? ticket) => ticket switch
    {
        { Identifier: { } identifier, Url: { } url } => $"{identifier} ({ticket.Status}) {url}",
        { Identifier: { } identifier } => $"{identifier} ({ticket.Status})",
        { LastError: { } error } => $"{ticket.Status}: {error}",
        { } => ticket.Status,
        null => "none",
    };

    /// <summary>Where the grant's after-care stands: evidence collection, then the review.</summary>
    public static string Review(GrantView grant) => grant.Status switch
    {
        "Issuing" or "Active" => "after the window",
        "Revoking" or "RevocationFailed" => "revoking",
        "Revoked" => "evidence due",
        "CollectingEvidence" => "collecting evidence",
        "AwaitingReview" => "awaiting review",
        "Approved" => "[green]approved[/]",
        "Flagged" => "[red]flagged[/]",
        _ => "none",
    };

    public static Table GrantTable(IEnumerable<GrantView> grants, DateTimeOffset now)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("Grant", "Role", "Status", "Time left", "Ends (local)", "Ticket", "Evidence / review");
        foreach (var grant in grants)
        {
            table.AddRow(
                Markup.Escape(grant.Id.ToString()), Markup.Escape(grant.Role), Markup.Escape(grant.Status), TimeLeft(grant, now),
                Markup.Escape(grant.ExpiresAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)),
                Markup.Escape(grant.Ticket?.Identifier ?? grant.Ticket?.Status ?? "none"), Review(grant));
        }
        return table;
    }

    public static Grid GrantDetails(GrantView grant, DateTimeOffset now)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Grant[/]", Markup.Escape(grant.Id.ToString()));
        grid.AddRow("[bold]Role[/]", Markup.Escape($"{grant.Role} ({grant.RoleArn})"));
        grid.AddRow("[bold]Status[/]", Markup.Escape(grant.Status));
        grid.AddRow("[bold]Time left[/]", TimeLeft(grant, now));
        grid.AddRow("[bold]Ends[/]", Markup.Escape(When(grant.EndedAt ?? grant.ExpiresAt)));
        grid.AddRow("[bold]Reason[/]", Markup.Escape(grant.Reason));
        grid.AddRow("[bold]Ticket[/]", Markup.Escape(Ticket(grant.Ticket)));
        grid.AddRow("[bold]Evidence / review[/]", Review(grant));
        if (grant.EndReason is not null) grid.AddRow("[bold]Ended because[/]", Markup.Escape(grant.EndReason));
        if (grant.LastRevocationError is not null) grid.AddRow("[bold]Revocation[/]", Markup.Escape(grant.LastRevocationError));
        return grid;
    }
}
