using System.Text.Json;

namespace BreakGlass.Evidence;

/// <summary>What a grant's session did in AWS, as collected so far (docs/evidence.md).</summary>
/// <param name="Completeness">"none" before the first pass, "partial" after it, "complete" after the final pass.</param>
/// <param name="Events">Those that create lasting access first, then most severe first, then by time.</param>
internal sealed record EvidenceReport(
    Guid GrantId,
    string Completeness,
    DateTimeOffset? FirstPassAt,
    DateTimeOffset? FinalPassAt,
    DateTimeOffset? FinalPassDueAt,
    string Sha256,
    EvidenceSummary Summary,
    IReadOnlyList<EvidenceEvent> Events,
    int RulesVersion);

/// <param name="CriticalItems">One line per critical event, by time: "time eventSource eventName (reasons)".</param>
/// <param name="Persistence">How many events carry the <c>persistence</c> flag: they created access that outlives the session.</param>
/// <param name="PersistenceItems">One line per persistence event, by time, in the same form as <paramref name="CriticalItems"/>.</param>
internal sealed record EvidenceSummary(
    int TotalEvents,
    IReadOnlyDictionary<string, int> ByService,
    IReadOnlyDictionary<string, int> BySeverity,
    int Errors,
    int AccessDenied,
    IReadOnlyList<string> CriticalItems,
    int Persistence,
    IReadOnlyList<string> PersistenceItems);

/// <summary>One CloudTrail event of the session: the raw record and what the severity rules made of it.</summary>
internal sealed record EvidenceEvent(
    string EventId,
    DateTimeOffset EventTime,
    string EventSource,
    string EventName,
    bool ReadOnly,
    string Severity,
    string? RuleId,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> Flags,
    string? ErrorCode,
    string? AwsRegion,
    string? SourceIpAddress,
    string? UserAgent,
    string? AccessKeyId,
    IReadOnlyList<string> Resources,
    JsonElement Raw);
