using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using BreakGlass.Evidence;

namespace BreakGlass.Reports;

/// <summary>
/// The pack's human-readable report: what happened, lasting access created first, then the other risky actions, the
/// sign-off. Every value is HTML-encoded.
/// </summary>
internal static class EvidencePackReport
{
    public static string Render(GrantChain chain, EvidenceReport report)
    {
        var grant = chain.Grant;
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
        Row(html, "Window", $"{Stamp(grant.RequestedAt)} → {Stamp(grant.ExpiresAt)}");
        Row(html, "Ended", grant.EndedAt is null ? "—" : $"{Stamp(grant.EndedAt.Value)} by {grant.EndedBy}: {grant.EndReason}");
        Row(html, "Ticket", grant.Ticket is null ? "—" : $"{grant.Ticket.Identifier ?? "(not yet filed)"} {grant.Ticket.Url} [{grant.Ticket.Status}]");
        Row(html, "Credentials", string.Join(", ", chain.Credentials.Select(c => $"{c.AccessKeyId} (issued {Stamp(c.IssuedAt)})")));
        Row(html, "Status", grant.Status);
        html.Append("</table>");

        html.Append("<h2>Sign-off</h2>");
        html.Append(chain.Review is { } review
            ? $"<p><strong>{E(review.Decision)}</strong> by {E(review.Reviewer)} at {E(Stamp(review.DecidedAt))} on evidence <code>{E(review.EvidenceSha256)}</code>.</p>" +
              (review.Notes is null ? "" : $"<blockquote>{E(review.Notes)}</blockquote>")
            : "<p>Not reviewed yet.</p>");

        html.Append("<h2>What the session did</h2><p>")
            .Append(E(string.Create(CultureInfo.InvariantCulture,
                $"{report.Summary.TotalEvents} CloudTrail events ({report.Completeness}); {report.Summary.Persistence} created lasting access; " +
                $"{report.Summary.Errors} errors, {report.Summary.AccessDenied} access denied. Evidence sha256 {report.Sha256}.")))
            .Append("</p>");
        html.Append("<table><tr><th>Severity</th><th>Time</th><th>Action</th><th>Why it matters</th><th>Error</th></tr>");
        // The events come lasting access first, then most severe first: the order a reviewer should check them in.
        foreach (var item in report.Events.Where(e => e.Severity != EvidenceSeverity.Info || EvidenceSummaries.IsPersistence(e)))
        {
            html.Append("<tr class=\"").Append(E(item.Severity.ToLowerInvariant())).Append("\"><td>").Append(E(item.Severity)).Append("</td><td>")
                .Append(E(Stamp(item.EventTime))).Append("</td><td>").Append(E($"{item.EventSource} {item.EventName}")).Append("</td><td>")
                .Append(E(string.Join("; ", item.Reasons))).Append("</td><td>").Append(E(item.ErrorCode ?? "")).Append("</td></tr>");
        }
        html.Append("</table>");
        var reads = report.Events.Count(e => e.Severity == EvidenceSeverity.Info);
        html.Append("<p>").Append(E(string.Create(CultureInfo.InvariantCulture, $"Plus {reads} read-only events: see timeline.csv."))).Append("</p>");

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

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string value) => HtmlEncoder.Default.Encode(value);
}
