namespace BreakGlass.Audit;

/// <summary>One row of the append-only audit chain.</summary>
internal sealed record AuditEvent(
    long Sequence,
    DateTimeOffset OccurredAt,
    Guid? GrantId,
    string EventType,
    string Actor,
    string Data,
    string PreviousHash,
    string Hash);

/// <summary>An event to append: the chain gives it its sequence, time and hashes.</summary>
internal sealed record NewAuditEvent(Guid? GrantId, string EventType, string Actor, IReadOnlyDictionary<string, object?> Data);
