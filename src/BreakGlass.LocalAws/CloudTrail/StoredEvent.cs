using System.Globalization;
using System.Text.Json;

namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>A CloudTrail record as kept by the emulator: the raw JSON plus what LookupEvents filters and returns.</summary>
/// <param name="RecipientAccountId">
/// The account whose trail holds a recorded call; null for a seeded event, which LookupEvents returns in every account
/// (seeding is a test's way to put events of its choosing in front of whichever caller reads them).
/// </param>
internal sealed record StoredEvent(
    string EventId,
    DateTimeOffset EventTime,
    string EventSource,
    string EventName,
    string AwsRegion,
    bool ReadOnly,
    string? AccessKeyId,
    string? Username,
    IReadOnlyList<StoredResource> Resources,
    string EventCategory,
    string Raw,
    string? RecipientAccountId = null)
{
    public const string Management = "Management";
    public const string Data = "Data";
    public const string Insight = "Insight";

    /// <exception cref="FormatException">A member CloudTrail always writes is missing.</exception>
    public static StoredEvent FromRaw(string raw)
    {
        using var document = JsonDocument.Parse(raw);
        var record = document.RootElement;
        if (record.ValueKind != JsonValueKind.Object) throw new FormatException("a CloudTrail record is a JSON object");
        var identity = record.TryGetProperty("userIdentity", out var value) && value.ValueKind == JsonValueKind.Object ? value : default;
        var eventName = Required(record, "eventName");
        return new StoredEvent(
            EventId: Required(record, "eventID"),
            EventTime: DateTimeOffset.TryParse(Required(record, "eventTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time.ToUniversalTime()
                : throw new FormatException("'eventTime' is not a timestamp"),
            EventSource: Required(record, "eventSource"),
            EventName: eventName,
            AwsRegion: Required(record, "awsRegion"),
            ReadOnly: record.TryGetProperty("readOnly", out var readOnly) && readOnly.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? readOnly.GetBoolean()
                : IsReadOnlyName(eventName),
            AccessKeyId: String(identity, "accessKeyId"),
            Username: UsernameOf(identity),
            Resources: ResourcesOf(record),
            EventCategory: CategoryOf(record),
            Raw: raw);
    }

    public static bool IsReadOnlyName(string eventName) =>
        eventName.StartsWith("Get", StringComparison.Ordinal) || eventName.StartsWith("List", StringComparison.Ordinal)
        || eventName.StartsWith("Describe", StringComparison.Ordinal) || eventName.StartsWith("Head", StringComparison.Ordinal)
        || eventName.StartsWith("Lookup", StringComparison.Ordinal);

    /// <summary>LookupEvents shows an IAM user's name, a role session's name, or "root".</summary>
    private static string? UsernameOf(JsonElement identity) =>
        String(identity, "userName")
        ?? (String(identity, "type") switch
        {
            "AssumedRole" or "FederatedUser" => String(identity, "arn")?.Split('/')[^1],
            "Root" => "root",
            _ => null,
        });

    private static string CategoryOf(JsonElement record) =>
        String(record, "eventCategory") switch
        {
            "Data" => Data,
            "Insight" => Insight,
            _ when record.TryGetProperty("managementEvent", out var management) && management.ValueKind == JsonValueKind.False => Data,
            _ => Management,
        };

    private static IReadOnlyList<StoredResource> ResourcesOf(JsonElement record) =>
        record.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array
            ? resources.EnumerateArray().Select(resource => new StoredResource(String(resource, "type"), String(resource, "ARN"))).ToArray()
            : [];

    private static string Required(JsonElement element, string name) =>
        String(element, name) ?? throw new FormatException($"a CloudTrail record needs a string '{name}'");

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

internal sealed record StoredResource(string? ResourceType, string? ResourceName);
