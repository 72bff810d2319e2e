using System.Globalization;
using System.Text;
using BreakGlass.Audit;
using BreakGlass.Tickets;

namespace BreakGlass.Evidence;

/// <summary>
/// The ticket comment posted when a grant's evidence is complete, in markdown: the summary beside the stated reason,
/// calls after the grant ended, what was created, changed and deleted, the actions that created lasting access, and the
/// critical items.
/// </summary>
internal static class EvidenceComment
{
    /// <summary>One evidence comment per grant, however often the final pass runs.</summary>
    public const string DedupeKey = "evidence-complete";

    /// <summary>Past this many, the items of a list are counted rather than listed: the full list is in the review view.</summary>
    public const int MaxListedItems = 25;

    /// <param name="head">The audit chain's head as this comment commits (the evidence.complete event itself): kept in the ticket, outside the database.</param>
    public static string Render(EvidenceReport report, ChainHead head)
    {
        var summary = report.Summary;
        var critical = summary.BySeverity.GetValueOrDefault(EvidenceSeverity.Critical);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"**Evidence collected** ({report.Completeness}): {summary.TotalEvents} CloudTrail event{Plural(summary.TotalEvents)} by this session, " +
            $"**{critical} critical**, **{summary.Persistence} creating lasting access**, **{summary.AfterEnd.Accepted + summary.AfterEnd.Refused} after the grant ended**. " +
            $"It is ready for review.");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Stated reason | {TicketMarkdown.Inline(report.Grant.Reason)} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| By severity | {string.Join(", ", EvidenceSeverity.Ordered.Select(severity => $"{severity} {summary.BySeverity.GetValueOrDefault(severity)}"))} |");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| By change | {string.Join(", ", ChangeKind.Ordered.Select(kind => $"{kind} {summary.Changes.Count(change => change.Change == kind)}"))} |");
        if (summary.ByService.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| By service | {string.Join(", ", summary.ByService.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"`{Code(pair.Key)}` {pair.Value}"))} |");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"| After the grant ended | {summary.AfterEnd.Accepted} accepted, {summary.AfterEnd.Refused} refused |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Failed calls | {summary.Errors} ({summary.AccessDenied} access denied) |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Passes | first {When(report.FirstPassAt)}, final {When(report.FinalPassAt)} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Evidence SHA-256 | `{report.Sha256}` |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| Audit chain head | event {head.Sequence}, hash `{head.Hash}` |");
        List(text, summary.AfterEnd.Accepted > 0
                ? "🚨 **Calls after the grant ended** (an accepted one means the cut-off did not stop it: investigate)"
                : "**Calls after the grant ended** (all refused: the cut-off held, but someone kept trying)",
            summary.AfterEnd.Items);
        List(text, "**What the session created, changed and deleted**",
            summary.Changes.Select(change => $"{change.Change} {change.Type} {change.Name} ({string.Join(", ", change.Actions)})").ToList());
        List(text, "**Lasting access created** (users, keys, trust, policies, public exposure: check each is removed or intended)",
            summary.PersistenceItems);
        List(text, "**Critical actions**", summary.CriticalItems);
        return text.ToString().TrimEnd();
    }

    private static void List(StringBuilder text, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        text.AppendLine();
        text.AppendLine(heading);
        text.AppendLine();
        foreach (var item in items.Take(MaxListedItems))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- `{Code(item)}`");
        }
        if (items.Count > MaxListedItems)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- … and {items.Count - MaxListedItems} more in the review view");
        }
    }

    private static string Plural(int count) => count == 1 ? "" : "s";

    private static string When(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "not run";

    // Inside a code span nothing is markdown, so event names, reasons and resource text cannot format or link
    // anything; only a backtick could end the span early.
    private static string Code(string text) => text.Replace('`', '\'').ReplaceLineEndings(" ");
}
