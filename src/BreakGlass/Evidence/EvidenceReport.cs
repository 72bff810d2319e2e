using System.Text.Json;
using BreakGlass.Evidence.LeastPrivilege;

namespace BreakGlass.Evidence;

/// <summary>What a grant's session did in AWS, as collected so far (docs/evidence.md).</summary>
/// <param name="Completeness">"none" before the first pass, "partial" after it, "complete" after the final pass.</param>
/// <param name="FinalPassDueAt">When the final pass is due: the evidence is complete, and the grant reviewable, after it.</param>
/// <param name="Grant">Who broke glass, why, and the ticket: what the summary is read beside.</param>
/// <param name="Events">Calls made after the grant ended first, then those that create lasting access, then most severe first, then by time.</param>
/// <param name="LeastPrivilegeSuggestion">Derived from the events when read, like the names of what they touched: not part of the hash.</param>
internal sealed record EvidenceReport(
    Guid GrantId,
    string Completeness,
    DateTimeOffset? FirstPassAt,
    DateTimeOffset? FinalPassAt,
    DateTimeOffset? FinalPassDueAt,
    string Sha256,
    EvidenceGrant Grant,
    EvidenceSummary Summary,
    IReadOnlyList<EvidenceEvent> Events,
    int RulesVersion,
    LeastPrivilegeSuggestion LeastPrivilegeSuggestion);

/// <summary>The grant the evidence belongs to, as a reviewer needs it beside the summary.</summary>
/// <param name="Ticket">The ticket's identifier (ENG-123), or null while it is not filed.</param>
internal sealed record EvidenceGrant(
    string Requester,
    string RequesterName,
    string Role,
    string Reason,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string? Ticket,
    string? TicketUrl)
{
    /// <summary>When the grant stopped allowing anything: a call after it is flagged <c>after-end</c>.</summary>
    public DateTimeOffset End => EndedAt ?? ExpiresAt;
}

/// <summary>What a person reads first (docs/evidence.md#the-summary).</summary>
/// <param name="CriticalItems">One line per critical event, by time: "time eventSource eventName → resources (reasons)".</param>
/// <param name="Persistence">How many events carry the <c>persistence</c> flag: they created access that outlives the session.</param>
/// <param name="PersistenceItems">One line per persistence event, by time, in the same form as <paramref name="CriticalItems"/>.</param>
/// <param name="AfterEnd">Calls made after the grant ended: accepted ones are critical findings, refused ones prove the cut-off.</param>
/// <param name="Changes">What the session created, changed and deleted, one entry per resource and kind of change.</param>
internal sealed record EvidenceSummary(
    int TotalEvents,
    IReadOnlyDictionary<string, int> ByService,
    IReadOnlyDictionary<string, int> BySeverity,
    int Errors,
    int AccessDenied,
    IReadOnlyList<string> CriticalItems,
    int Persistence,
    IReadOnlyList<string> PersistenceItems,
    AfterEndSummary AfterEnd,
    IReadOnlyList<ResourceChange> Changes);

/// <param name="Accepted">Calls AWS carried out after the end: the cut-off failed for them.</param>
/// <param name="Refused">Calls AWS refused after the end: proof the cut-off worked, and a sign someone kept trying.</param>
/// <param name="Items">One line per call, by time, in the form of <see cref="EvidenceSummary.CriticalItems"/>, starting "accepted" or "refused".</param>
internal sealed record AfterEndSummary(int Accepted, int Refused, IReadOnlyList<string> Items);

/// <summary>One resource the session created, changed or deleted, and the calls that did it.</summary>
/// <param name="Change">created, changed or deleted.</param>
/// <param name="Actions">"eventSource eventName" of each call, distinct, in time order.</param>
internal sealed record ResourceChange(string Change, string Type, string Name, IReadOnlyList<string> Actions, DateTimeOffset FirstAt);

/// <summary>One CloudTrail event of the session: the raw record and what the severity rules made of it.</summary>
/// <param name="Outcome">accepted, denied (access denied) or failed (another error).</param>
/// <param name="Touched">What the call touched, from CloudTrail's <c>resources</c> or, where it lists none, the request parameters.</param>
/// <param name="Change">For an accepted change: created, changed or deleted; null for reads and refused or failed calls.</param>
/// <param name="Resources">The identifiers as the sources listed them (ARNs, LookupEvents resource names), for searching.</param>
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
    string Outcome,
    IReadOnlyList<TouchedResource> Touched,
    string? Change,
    string? AwsRegion,
    string? SourceIpAddress,
    string? UserAgent,
    string? AccessKeyId,
    IReadOnlyList<string> Resources,
    JsonElement Raw);
