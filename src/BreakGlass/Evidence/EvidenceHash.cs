using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Audit;

namespace BreakGlass.Evidence;

/// <summary>
/// The SHA-256 a reviewer signs off on: lower-case hex over the RFC 8785 canonical JSON of
/// <c>{"format", "grantId", "completeness", "firstPassAt", "finalPassAt", "events": [...]}</c>, events ordered by
/// event id, each with its classification and raw CloudTrail record. Everything in it can be read
/// back from an <see cref="EvidenceReport"/>, so anyone holding a report can recompute it.
/// </summary>
internal static class EvidenceHash
{
    public const string Format = "breakglass.evidence/1";

    public static string Of(EvidenceReport report) =>
        Compute(report.GrantId, report.Completeness, report.FirstPassAt, report.FinalPassAt, report.Events);

    public static string Compute(
        Guid grantId, string completeness, DateTimeOffset? firstPassAt, DateTimeOffset? finalPassAt, IEnumerable<EvidenceEvent> events) =>
        Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.ToUtf8Bytes(Document(grantId, completeness, firstPassAt, finalPassAt, events))));

    /// <summary>The document that is hashed, before canonicalisation.</summary>
    public static JsonElement Document(
        Guid grantId, string completeness, DateTimeOffset? firstPassAt, DateTimeOffset? finalPassAt, IEnumerable<EvidenceEvent> events)
    {
        var list = new JsonArray();
        foreach (var evidenceEvent in events.OrderBy(candidate => candidate.EventId, StringComparer.Ordinal))
        {
            list.Add(new JsonObject
            {
                ["eventId"] = evidenceEvent.EventId,
                ["severity"] = evidenceEvent.Severity,
                ["ruleId"] = evidenceEvent.RuleId,
                ["reasons"] = new JsonArray(evidenceEvent.Reasons.Select(reason => JsonValue.Create(reason)).ToArray<JsonNode?>()),
                ["flags"] = new JsonArray(evidenceEvent.Flags.Select(flag => JsonValue.Create(flag)).ToArray<JsonNode?>()),
                ["raw"] = JsonNode.Parse(evidenceEvent.Raw.GetRawText()),
            });
        }
        var document = new JsonObject
        {
            ["format"] = Format,
            ["grantId"] = grantId.ToString("D"),
            ["completeness"] = completeness,
            ["firstPassAt"] = Timestamp(firstPassAt),
            ["finalPassAt"] = Timestamp(finalPassAt),
            ["events"] = list,
        };
        return JsonSerializer.SerializeToElement(document);
    }

    /// <summary>PostgreSQL keeps microseconds: anything finer would not survive a round trip.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset instant) =>
        new(instant.UtcTicks - instant.UtcTicks % 10, TimeSpan.Zero);

    private static string? Timestamp(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
