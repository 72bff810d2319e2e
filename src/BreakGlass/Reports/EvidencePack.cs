using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Evidence;

namespace BreakGlass.Reports;

/// <summary>
/// A grant's evidence pack: the full chain, its audit events, the raw CloudTrail events, a CSV timeline, a
/// human-readable report, the least-privilege suggestion, the audit chain's head at the moment of export, and a
/// MANIFEST.sha256 that <c>sha256sum -c</c> verifies.
/// </summary>
internal static class EvidencePack
{
    public const string ManifestName = "MANIFEST.sha256";
    public const string ChainHeadName = "chain-head.json";
    public const string LeastPrivilegeName = "least-privilege-suggestion.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="head">The audit chain's newest event when the pack was made: the auditor keeps it to detect later deletions.</param>
    public static byte[] Build(GrantChain chain, EvidenceReport report, ChainHead head)
    {
        var files = new List<(string Name, byte[] Content)>
        {
            ("grant.json", Utf8(JsonSerializer.Serialize(chain, Json))),
            ("audit-events.json", Utf8(JsonSerializer.Serialize(chain.AuditEvents, Json))),
            ("cloudtrail-events.jsonl", Utf8(string.Concat(report.Events.OrderBy(e => e.EventTime).ThenBy(e => e.EventId, StringComparer.Ordinal)
                .Select(e => e.Raw.GetRawText() + "\n")))),
            ("timeline.csv", Utf8(Timeline(chain, report))),
            ("report.html", Utf8(EvidencePackReport.Render(chain, report))),
            (LeastPrivilegeName, Utf8(JsonSerializer.Serialize(report.LeastPrivilegeSuggestion, Json))),
            (ChainHeadName, Utf8(JsonSerializer.Serialize(head, Json))),
        };
        var manifest = string.Concat(files.Select(file => $"{Convert.ToHexStringLower(SHA256.HashData(file.Content))}  {file.Name}\n"));
        files.Add((ManifestName, Utf8(manifest)));

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            // Fixed entry times: the same evidence and chain head always give the same pack.
            var stamp = chain.Grant.RequestedAt;
            foreach (var (name, content) in files)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = stamp;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Calls made after the grant ended first, then the events that created lasting access, by time; then everything,
    /// BreakGlass's and the session's, by time. <c>resources</c> names what each call touched.
    /// </summary>
    private static string Timeline(GrantChain chain, EvidenceReport report)
    {
        var rows = chain.AuditEvents
            .Select(e => (Rank: 2, Time: e.OccurredAt, Row: (IReadOnlyList<string?>)
                [Csv.Timestamp(e.OccurredAt), "breakglass", e.Actor, e.EventType, "", "", "", "", e.Data.GetRawText()]))
            .Concat(report.Events.Select(e => (Rank: EvidenceSummaries.IsAfterEnd(e) ? 0 : EvidenceSummaries.IsPersistence(e) ? 1 : 2, Time: e.EventTime,
                Row: (IReadOnlyList<string?>)
                [Csv.Timestamp(e.EventTime), "cloudtrail", e.AccessKeyId, $"{e.EventSource}:{e.EventName}", e.Severity, string.Join(" ", e.Flags),
                 e.ErrorCode, string.Join("; ", e.Touched), string.Join("; ", e.Reasons)])))
            .OrderBy(row => row.Rank)
            .ThenBy(row => row.Time)
            .Select(row => row.Row);
        return Csv.Write(["time", "source", "actor", "event", "severity", "flags", "error", "resources", "detail"], rows);
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
