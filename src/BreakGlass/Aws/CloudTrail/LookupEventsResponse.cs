namespace BreakGlass.Aws.CloudTrail;

/// <summary>The LookupEvents output: events newest first, and a token while more remain.</summary>
internal sealed record LookupEventsResponse
{
    public IReadOnlyList<TrailEvent> Events { get; init; } = [];

    public string? NextToken { get; init; }
}

/// <summary>One event as LookupEvents returns it; <see cref="CloudTrailEvent"/> is the full record as a JSON string.</summary>
internal sealed record TrailEvent
{
    public string? EventId { get; init; }
    public string? EventName { get; init; }
    public string? ReadOnly { get; init; }
    public string? AccessKeyId { get; init; }
    public DateTimeOffset? EventTime { get; init; }
    public string? EventSource { get; init; }
    public string? Username { get; init; }
    public IReadOnlyList<TrailEventResource> Resources { get; init; } = [];
    public string? CloudTrailEvent { get; init; }
}

internal sealed record TrailEventResource(string? ResourceType, string? ResourceName);
