using System.CommandLine;
using BreakGlass.Cli.Aws;
using BreakGlass.Cli.Credentials;
using BreakGlass.Cli.Output;
using BreakGlass.Cli.Service;
using Spectre.Console;

namespace BreakGlass.Cli.Grants;

internal static class GrantCommands
{
    public static Command Roles(CliHost host, GlobalOptions options)
    {
        var command = new Command("roles", "The roles you may break glass into, and for how long.");
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var roles = await invocation.Api().RolesAsync(cancellationToken);
            if (invocation.Json)
            {
                JsonOutput.Write(host, roles);
                return;
            }
            if (roles.Length == 0)
            {
                await host.Output.WriteLineAsync($"No break-glass role is open to you on {ServiceTarget.Display(invocation.Service)}.");
                return;
            }
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Role", "Longest window", "Ticket", "AWS role");
            foreach (var role in roles)
            {
                table.AddRow(Markup.Escape(role.Name), Human.Duration(TimeSpan.FromMinutes(role.MaxDurationMinutes)),
                    role.RequireTicket ? "[yellow]required[/]" : "optional", Markup.Escape(role.RoleArn));
            }
            invocation.Console.Write(table);
        });
        return command;
    }

    public static Command Request(CliHost host, GlobalOptions options)
    {
        var role = new Argument<string>("ROLE") { Description = "The role to break glass into (see `breakglass roles`)." };
        var window = new Option<string>("--for") { Description = "How long: 4h, 90m, 1h30m.", DefaultValueFactory = _ => "1h" };
        var reason = new Option<string?>("--reason") { Description = "Why, in a sentence (10-2000 characters): it goes into the ticket and the review." };
        var ticket = new Option<string?>("--ticket") { Description = "A Linear issue (OPS-123 or its URL); without one BreakGlass files one." };
        var region = new Option<string?>("--region") { Description = "Region for the AWS profile (default: $AWS_REGION, $AWS_DEFAULT_REGION, us-east-1)." };
        var command = new Command("request", "Break glass: get the role now, and an AWS profile that uses it.") { role, window, reason, ticket, region };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var roleName = invocation.Value(role);
            AwsConfigFile.ProfileName(roleName);
            var minutes = WindowLength.ParseMinutes(invocation.Value(window));
            var why = invocation.Value(reason) ?? AskForReason(invocation);
            var api = invocation.Api();
            var grant = await api.BreakGlassAsync(roleName, minutes, why, invocation.Value(ticket), Guid.NewGuid().ToString(), cancellationToken);
            var credentials = grant.Credentials
                ?? throw new CliException(ExitCode.GrantEnded, $"Grant {grant.Id} is {grant.Status} and came without credentials.");
            new CredentialCache(host, api.Service).Save(grant, credentials);
            var profile = AwsProfiles.Write(host, invocation.Service, grant, invocation.Value(region));
            var use = $"export AWS_PROFILE={profile.Name}";
            if (invocation.Json)
            {
                JsonOutput.Write(host, new { grant = grant.WithoutSecrets(), profile = profile.Name, configFile = profile.ConfigFile, use });
                return;
            }
            invocation.Console.Write(Human.GrantDetails(grant, invocation.Now));
            invocation.Console.MarkupLine($"[bold]AWS profile[/] {Markup.Escape(profile.Name)} in {Markup.Escape(profile.ConfigFile)}");
            invocation.Console.WriteLine();
            invocation.Console.MarkupLine($"Use it:  [bold]{Markup.Escape(use)}[/]   (or aws --profile {Markup.Escape(profile.Name)} ...)");
        });
        return command;
    }

    public static Command Status(CliHost host, GlobalOptions options)
    {
        var grantId = new Argument<Guid?>("GRANT") { Description = "A grant id (default: your open grants).", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Time left, ticket, evidence and review of a grant (default: your open grants).") { grantId };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var api = invocation.Api();
            GrantView[] grants = invocation.Value(grantId) is { } id
                ? [await api.GrantAsync(id, cancellationToken)]
                : (await api.GrantsAsync(100, cancellationToken)).Where(grant => grant.IsOpenAt(invocation.Now)).ToArray();
            if (invocation.Json)
            {
                JsonOutput.Write(host, grants);
                return;
            }
            if (grants.Length == 0)
            {
                await host.Output.WriteLineAsync("You have no open grant. `breakglass list` shows earlier ones.");
                return;
            }
            foreach (var grant in grants)
            {
                invocation.Console.Write(Human.GrantDetails(grant, invocation.Now));
                invocation.Console.WriteLine();
            }
        });
        return command;
    }

    public static Command List(CliHost host, GlobalOptions options)
    {
        var limit = new Option<int>("--limit") { Description = "How many grants, newest first (1-500).", DefaultValueFactory = _ => 20 };
        var command = new Command("list", "Your grants, newest first: time left, ticket, evidence and review.") { limit };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var grants = await invocation.Api().GrantsAsync(invocation.Value(limit), cancellationToken);
            if (invocation.Json)
            {
                JsonOutput.Write(host, grants);
                return;
            }
            if (grants.Length == 0)
            {
                await host.Output.WriteLineAsync("No grants yet.");
                return;
            }
            invocation.Console.Write(Human.GrantTable(grants, invocation.Now));
        });
        return command;
    }

    public static Command End(CliHost host, GlobalOptions options)
    {
        var grantId = new Argument<Guid?>("GRANT") { Description = "The grant to end (default: your only open grant).", Arity = ArgumentArity.ZeroOrOne };
        var reason = new Option<string?>("--reason") { Description = "Why it can end now (3-2000 characters)." };
        var command = new Command("end", "I'm done: end a grant now; its credentials stop working.") { grantId, reason };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var api = invocation.Api();
            var id = invocation.Value(grantId) ?? await OnlyOpenGrantAsync(invocation, api, cancellationToken);
            var why = invocation.Value(reason) ?? AskFor(invocation, "Why can it end now?", "--reason is required: say why the grant can end (e.g. \"incident resolved\").");
            var grant = await api.EndAsync(id, why, cancellationToken);
            // The credentials are denied from now on: keep no secrets of an ended grant on disk.
            new CredentialCache(host, api.Service).Forget(grant);
            if (invocation.Json)
            {
                JsonOutput.Write(host, grant);
                return;
            }
            invocation.Console.Write(Human.GrantDetails(grant, invocation.Now));
            await host.Output.WriteLineAsync(grant.Status == "Revoking"
                ? "Ended. AWS has not confirmed the revocation yet: BreakGlass keeps retrying."
                : "Ended: its credentials are refused by AWS from now on.");
        });
        return command;
    }

    private static async Task<Guid> OnlyOpenGrantAsync(Invocation invocation, BreakGlassApi api, CancellationToken cancellationToken)
    {
        var open = (await api.GrantsAsync(100, cancellationToken)).Where(grant => grant.IsOpenAt(invocation.Now)).ToList();
        return open switch
        {
            [var only] => only.Id,
            [] => throw new CliException(ExitCode.NotFound, "You have no open grant to end."),
            _ => throw new CliException(ExitCode.Usage,
                $"You have {open.Count} open grants; name the one to end: {string.Join(", ", open.Select(grant => $"{grant.Id} ({grant.Role})"))}."),
        };
    }

    private static string AskForReason(Invocation invocation) =>
        AskFor(invocation, "Why do you break glass?", "--reason is required: say why you break glass (10-2000 characters).");

    /// <summary>Prompts a person at a terminal; anything else gets the usage error (no prompt without a terminal).</summary>
    private static string AskFor(Invocation invocation, string question, string usage)
    {
        if (!invocation.Host.Interactive || invocation.Json) throw new CliException(ExitCode.Usage, usage);
        return Human.Console(invocation.Host.Error).Prompt(new TextPrompt<string>(question));
    }
}
