using System.Globalization;
using System.Text.Json;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>
/// One CloudTrail record: the <c>CloudTrailEvent</c> string of LookupEvents, or an item of a log file's
/// <c>Records</c>. <see cref="Raw"/> is the whole record, kept as evidence; the rest is what rules and
/// indexes need.
/// </summary>
internal sealed record CloudTrailRecord(
    string EventId,
    DateTimeOffset EventTime,
    string EventSource,
    string EventName,
    string? AwsRegion,
    string? SourceIpAddress,
    string? UserAgent,
    bool ReadOnly,
    string? ErrorCode,
    string? ErrorMessage,
    string? AccessKeyId,
    JsonElement? RequestParameters,
    IReadOnlyList<CloudTrailResource> Resources,
    JsonElement Raw)
{
    private static readonly string[] ReadOnlyPrefixes = ["Get", "List", "Describe", "Head", "Lookup"];

    public static CloudTrailRecord Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return FromJson(document.RootElement);
    }

    /// <summary>Reads a record; the result owns a copy, so <paramref name="record"/>'s document may be disposed.</summary>
    /// <exception cref="JsonException">A required member is missing or of the wrong kind.</exception>
    public static CloudTrailRecord FromJson(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"a CloudTrail record is an object, not {record.ValueKind}");
        }
        var raw = record.Clone();
        var eventName = Required(raw, "eventName");
        return new CloudTrailRecord(
            EventId: Required(raw, "eventID"),
            EventTime: TimeOf(raw),
            EventSource: Required(raw, "eventSource"),
            EventName: eventName,
            AwsRegion: Optional(raw, "awsRegion"),
            SourceIpAddress: Optional(raw, "sourceIPAddress"),
            UserAgent: Optional(raw, "userAgent"),
            ReadOnly: ReadOnlyOf(raw, eventName),
            ErrorCode: Optional(raw, "errorCode"),
            ErrorMessage: Optional(raw, "errorMessage"),
            AccessKeyId: AccessKeyIdOf(raw),
            RequestParameters: raw.TryGetProperty("requestParameters", out var parameters) && parameters.ValueKind == JsonValueKind.Object
                ? parameters
                : null,
            Resources: ResourcesOf(raw),
            Raw: raw);
    }

    /// <summary>The signing key of a record, without building the record (for filtering large log files).</summary>
    public static string? AccessKeyIdOf(JsonElement record) =>
        record.TryGetProperty("userIdentity", out var identity) && identity.ValueKind == JsonValueKind.Object
            ? Optional(identity, "accessKeyId")
            : null;

    /// <summary>
    /// Log files may omit <c>readOnly</c>; then it follows the action's name, as AWS's own naming
    /// convention reserves these prefixes for calls that change nothing.
    /// </summary>
    public static bool IsReadOnlyName(string eventName) =>
        ReadOnlyPrefixes.Any(prefix => eventName.StartsWith(prefix, StringComparison.Ordinal));

    private static bool ReadOnlyOf(JsonElement record, string eventName) =>
        record.TryGetProperty("readOnly", out var value) switch
        {
            true when value.ValueKind is JsonValueKind.True or JsonValueKind.False => value.GetBoolean(),
            true when value.ValueKind == JsonValueKind.String && bool.TryParse(value.GetString(), out var parsed) => parsed,
            _ => IsReadOnlyName(eventName),
        };

    /// <summary>When the call was made, without building the record; null when absent or unreadable.</summary>
    public static DateTimeOffset? EventTimeOf(JsonElement record) =>
        Optional(record, "eventTime") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    private static DateTimeOffset TimeOf(JsonElement record) =>
        EventTimeOf(record) ?? throw new JsonException($"a CloudTrail record needs a readable 'eventTime', not '{Optional(record, "eventTime")}'");

    private static IReadOnlyList<CloudTrailResource> ResourcesOf(JsonElement record)
    {
        if (!record.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
        {
            return [];
        }
        return resources.EnumerateArray()
            .Where(resource => resource.ValueKind == JsonValueKind.Object)
            .Select(resource => new CloudTrailResource(Optional(resource, "ARN"), Optional(resource, "accountId"), Optional(resource, "type")))
            .ToArray();
    }

    private static string Required(JsonElement element, string name) =>
        Optional(element, name) ?? throw new JsonException($"a CloudTrail record needs a string '{name}'");

    private static string? Optional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

internal sealed record CloudTrailResource(string? Arn, string? AccountId, string? Type);
