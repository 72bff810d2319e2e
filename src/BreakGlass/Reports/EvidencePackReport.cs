using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using BreakGlass.Evidence;

namespace BreakGlass.Reports;

/// <summary>
/// The pack's human-readable report: the grant and its stated reason, the summary a reviewer reads first (calls after
/// the grant ended, what was created, changed and deleted, lasting access), the sign-off and its history, then the risky
/// actions with what each touched. Every value is HTML-encoded.
/// </summary>
internal static class EvidencePackReport
{
    public static string Render(GrantChain chain, EvidenceReport report)
    {
        var grant = chain.Grant;
        var summary = report.Summary;
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Break-glass evidence ").Append(E(grant.Id.ToString()))
            .Append("</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}")
            .Append("table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}")
            .Append(".critical{background:#fde2e1}.high{background:#fff4d6}</style></head><body>");
        html.Append("<h1>Break-glass exception ").Append(E(grant.Id.ToString())).Append("</h1>");
        html.Append("<table>");
        Row(html, "Engineer", $"{grant.RequesterName} ({grant.Requester})");
        Row(html, "Role", $"{grant.Role} ({grant.RoleArn})");
        Row(html, "Reason", grant.Reason);
        Row(html, "Ticket", grant.Ticket is null ? "—" : $"{grant.Ticket.Identifier ?? "(not yet filed)"} {grant.Ticket.Url} [{grant.Ticket.Status}]");
        Row(html, "Window", $"{Stamp(grant.RequestedAt)} → {Stamp(grant.ExpiresAt)}");
        Row(html, "Ended", grant.EndedAt is null ? "—" : $"{Stamp(grant.EndedAt.Value)} by {grant.EndedBy}: {grant.EndReason}");
        Row(html, "Credentials", string.Join(", ", chain.Credentials.Select(c => $"{c.AccessKeyId} (issued {Stamp(c.IssuedAt)})")));
        Row(html, "Status", grant.Status);
        html.Append("</table>");

        html.Append("<h2>Summary</h2><table>");
        Row(html, "Events", string.Create(CultureInfo.InvariantCulture,
            $"{summary.TotalEvents} CloudTrail events ({report.Completeness}): " +
            $"{string.Join(", ", EvidenceSeverity.Ordered.Select(severity => $"{summary.BySeverity.GetValueOrDefault(severity)} {severity}"))}; " +
            $"{summary.Errors} errors, {summary.AccessDenied} access denied"));
        Row(html, "After the grant ended", string.Create(CultureInfo.InvariantCulture,
            $"{summary.AfterEnd.Accepted} accepted (the cut-off did not stop them), {summary.AfterEnd.Refused} refused (the cut-off held)"));
        Row(html, "Lasting access", string.Create(CultureInfo.InvariantCulture, $"{summary.Persistence} created lasting access"));
        Row(html, "Evidence sha256", report.Sha256);
        html.Append("</table>");
        Items(html, "Calls after the grant ended", summary.AfterEnd.Items);
        if (summary.Changes.Count > 0)
        {
            html.Append("<h3>Created, changed and deleted</h3><table><tr><th>Change</th><th>Type</th><th>Resource</th><th>By</th></tr>");
            foreach (var change in summary.Changes)
            {
                html.Append("<tr><td>").Append(E(change.Change)).Append("</td><td>").Append(E(change.Type)).Append("</td><td>").Append(E(change.Name))
                    .Append("</td><td>").Append(E(string.Join(", ", change.Actions))).Append("</td></tr>");
            }
            html.Append("</table>");
        }
        Items(html, "Lasting access created", summary.PersistenceItems);

        html.Append("<h2>Sign-off</h2>");
        html.Append(chain.Review is { } review
            ? $"<p>Current decision: <strong>{E(review.Decision)}</strong> by {E(review.Reviewer)} at {E(Stamp(review.DecidedAt))} on evidence <code>{E(review.EvidenceSha256)}</code>.</p>" +
              (review.Notes is null ? "" : $"<blockquote>{E(review.Notes)}</blockquote>")
            : "<p>Not reviewed yet.</p>");
        if (chain.ReviewHistory.Count > 1)
        {
            html.Append("<p>Every decision, oldest first (none is ever changed or removed):</p><ol>");
            foreach (var decision in chain.ReviewHistory)
            {
                html.Append("<li>").Append(E($"{decision.Decision} by {decision.Reviewer} at {Stamp(decision.DecidedAt)}{(decision.Notes is null ? "" : $": {decision.Notes}")}"))
                    .Append("</li>");
            }
            html.Append("</ol>");
        }

        html.Append("<h2>What the session did</h2>");
        html.Append("<table><tr><th>Severity</th><th>Time</th><th>Action</th><th>Touched</th><th>Why it matters</th><th>Error</th></tr>");
        // The events come after-end first, then lasting access, then most severe first: the order a reviewer should check them in.
        foreach (var item in report.Events.Where(e => e.Severity != EvidenceSeverity.Info || EvidenceSummaries.IsPersistence(e) || EvidenceSummaries.IsAfterEnd(e)))
        {
            html.Append("<tr class=\"").Append(E(item.Severity.ToLowerInvariant())).Append("\"><td>").Append(E(item.Severity)).Append("</td><td>")
                .Append(E(Stamp(item.EventTime))).Append("</td><td>").Append(E($"{item.EventSource} {item.EventName}")).Append("</td><td>")
                .Append(E(string.Join(", ", item.Touched))).Append("</td><td>")
                .Append(E(string.Join("; ", item.Reasons))).Append("</td><td>").Append(E(item.ErrorCode ?? "")).Append("</td></tr>");
        }
        html.Append("</table>");
        var reads = report.Events.Count(e => e.Severity == EvidenceSeverity.Info && !EvidenceSummaries.IsAfterEnd(e) && !EvidenceSummaries.IsPersistence(e));
        html.Append("<p>").Append(E(string.Create(CultureInfo.InvariantCulture, $"Plus {reads} informational events (reads): see timeline.csv."))).Append("</p>");

        var suggestion = report.LeastPrivilegeSuggestion;
        html.Append("<h2>Least-privilege suggestion</h2><p><strong>").Append(E(suggestion.Label)).Append("</strong></p>");
        Items(html, string.Create(CultureInfo.InvariantCulture, $"Based on {suggestion.BasedOnEvents} successful calls"), suggestion.Notes);
        if (suggestion.Policy is not null) html.Append("<pre>").Append(E(suggestion.Policy.ToJson())).Append("</pre>");
        html.Append("<p>The same, as JSON: ").Append(E(EvidencePack.LeastPrivilegeName)).Append(".</p>");

        html.Append("<h2>Audit trail</h2><table><tr><th>#</th><th>Time</th><th>Event</th><th>Actor</th><th>Hash</th></tr>");
        foreach (var item in chain.AuditEvents)
        {
            html.Append("<tr><td>").Append(item.Sequence).Append("</td><td>").Append(E(Stamp(item.OccurredAt))).Append("</td><td>")
                .Append(E(item.EventType)).Append("</td><td>").Append(E(item.Actor)).Append("</td><td><code>").Append(E(item.Hash[..16]))
                .Append("…</code></td></tr>");
        }
        html.Append("</table><p>Verify this pack with <code>sha256sum -c MANIFEST.sha256</code>, and the audit chain with <code>GET /api/audit/verify</code>.</p>");
        return html.Append("</body></html>").ToString();
    }

    private static void Items(StringBuilder html, string heading, IReadOnlyList<string> items)
    {
        if (items.Count == 0) return;
        html.Append("<h3>").Append(E(heading)).Append("</h3><ul>");
        foreach (var item in items) html.Append("<li>").Append(E(item)).Append("</li>");
        html.Append("</ul>");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string value) => HtmlEncoder.Default.Encode(value);
}
