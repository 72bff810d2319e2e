using System.Text.Json;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Reports;
using BreakGlass.Revocation;
using BreakGlass.Tickets;

namespace BreakGlass.Web.Charts;

internal sealed record Milestone(DateTimeOffset At, string Label, string Kind);

/// <summary>
/// A grant's story as a picture: one row per milestone (requested, issued, ticket, each credential, ended, deny
/// verified, evidence passes, review), each a dot at its time on a shared axis, over the band of the granted window.
/// </summary>
internal sealed class Timeline
{
    public const double Width = 760;
    public const double LabelWidth = 250;
    public const double RowHeight = 26;
    public const double Top = 30;

    private Timeline(IReadOnlyList<Milestone> milestones, DateTimeOffset start, DateTimeOffset end, DateTimeOffset windowStart, DateTimeOffset windowEnd)
    {
        Milestones = milestones;
        Start = start;
        End = end;
        WindowStart = windowStart;
        WindowEnd = windowEnd;
    }

    public IReadOnlyList<Milestone> Milestones { get; }
    public DateTimeOffset Start { get; }
    public DateTimeOffset End { get; }
    public DateTimeOffset WindowStart { get; }
    public DateTimeOffset WindowEnd { get; }
    public double Height => Top + Milestones.Count * RowHeight + 10;

    public double X(DateTimeOffset at)
    {
        var span = (End - Start).TotalSeconds;
        var share = span <= 0 ? 0 : (at - Start).TotalSeconds / span;
        return LabelWidth + Math.Clamp(share, 0, 1) * (Width - LabelWidth - 20);
    }

    public static double Y(int row) => Top + row * RowHeight + RowHeight / 2;

    public static Timeline Of(GrantChain chain)
    {
        var grant = chain.Grant;
        var milestones = new List<Milestone> { new(grant.RequestedAt, "Requested", "request") };
        foreach (var item in chain.AuditEvents)
        {
            var milestone = item.EventType switch
            {
                GrantAuditEvents.Issued => new Milestone(item.OccurredAt, "Credentials issued", "issue"),
                TicketAuditEvents.Filed => new Milestone(item.OccurredAt, $"Ticket {Text(item.Data, "identifier") ?? ""} filed".Replace("  ", " ", StringComparison.Ordinal), "ticket"),
                TicketAuditEvents.Linked => new Milestone(item.OccurredAt, $"Ticket {Text(item.Data, "identifier") ?? ""} linked".Replace("  ", " ", StringComparison.Ordinal), "ticket"),
                GrantAuditEvents.CredentialsReissued => new Milestone(item.OccurredAt, $"Fresh credentials {Text(item.Data, "accessKeyId") ?? ""}".TrimEnd(), "issue"),
                RevocationAuditEvents.Ending => new Milestone(item.OccurredAt, "Ended early", "end"),
                RevocationAuditEvents.Revoked => new Milestone(item.OccurredAt, "Revoked", "end"),
                RevocationAuditEvents.DenyVerified => new Milestone(item.OccurredAt, "Deny verified", "deny"),
                EvidenceAuditEvents.Partial => new Milestone(item.OccurredAt, "Evidence: first pass", "evidence"),
                EvidenceAuditEvents.Complete => new Milestone(item.OccurredAt, "Evidence: final pass", "evidence"),
                EvidenceAuditEvents.Updated => new Milestone(item.OccurredAt, "Evidence updated", "evidence"),
                _ when item.EventType.StartsWith("review.", StringComparison.Ordinal) =>
                    new Milestone(item.OccurredAt, $"Review: {Text(item.Data, "decision") ?? item.EventType}", "review"),
                _ => null,
            };
            if (milestone is not null) milestones.Add(milestone);
        }
        if (grant.EndedAt is { } ended && !milestones.Any(m => m.Kind == "end"))
        {
            milestones.Add(new Milestone(ended, "Ended", "end"));
        }
        milestones = milestones.OrderBy(m => m.At).ToList();
        var windowEnd = grant.EndedAt ?? grant.ExpiresAt;
        var start = milestones[0].At;
        // A grant ended early is drawn to its last milestone: the unused rest of the window would squash the story.
        var end = new[] { milestones[^1].At, windowEnd }.Max();
        return new Timeline(milestones, start, end == start ? start.AddMinutes(1) : end, grant.RequestedAt, windowEnd);
    }

    private static string? Text(JsonElement data, string property) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
