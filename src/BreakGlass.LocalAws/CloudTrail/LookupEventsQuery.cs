using System.Globalization;

namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>A validated LookupEvents request.</summary>
internal sealed record LookupEventsQuery(
    string? AttributeKey,
    string? AttributeValue,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime,
    string? EventCategory,
    int MaxResults,
    string? NextToken)
{
    public const int MaxPageSize = 50;

    /// <summary>Everything that selects events (not the page size or position), to bind a NextToken to its query.</summary>
    public string Canonical(string region) => string.Join('\n',
        region, AttributeKey, AttributeValue,
        StartTime?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        EndTime?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        EventCategory);

    public bool Selects(StoredEvent candidate, string region) =>
        candidate.AwsRegion == region
        && (EventCategory == "insight" ? candidate.EventCategory == StoredEvent.Insight : candidate.EventCategory == StoredEvent.Management)
        && (StartTime is null || candidate.EventTime >= StartTime)
        && (EndTime is null || candidate.EventTime <= EndTime)
        && (AttributeKey is null || HasAttribute(candidate));

    private bool HasAttribute(StoredEvent candidate) => AttributeKey switch
    {
        "AccessKeyId" => candidate.AccessKeyId == AttributeValue,
        "EventId" => candidate.EventId == AttributeValue,
        "EventName" => candidate.EventName == AttributeValue,
        "EventSource" => candidate.EventSource == AttributeValue,
        "ReadOnly" => string.Equals(candidate.ReadOnly ? "true" : "false", AttributeValue, StringComparison.OrdinalIgnoreCase),
        "Username" => candidate.Username == AttributeValue,
        "ResourceType" => candidate.Resources.Any(resource => resource.ResourceType == AttributeValue),
        "ResourceName" => candidate.Resources.Any(resource => resource.ResourceName == AttributeValue),
        _ => false,
    };
}
