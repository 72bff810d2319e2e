using System.Text.Json;

namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>
/// Checks a LookupEvents body against CloudTrail's service model (2013-11-01) and answers its modelled
/// errors. Stricter than AWS in one way on purpose: a misspelt member is refused instead of ignored, since
/// a client that drops its lookup attribute would silently read every principal's events.
/// </summary>
internal static class LookupEventsRequestReader
{
    private static readonly string[] AttributeKeys =
        ["EventId", "EventName", "ReadOnly", "Username", "ResourceType", "ResourceName", "EventSource", "AccessKeyId"];

    public static LookupEventsQuery Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty) body = "{}"u8.ToArray();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException exception)
        {
            throw AwsServiceException.Serialization($"The request body is not valid JSON: {exception.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw AwsServiceException.Serialization("The request body must be a JSON object.");
            (string? Key, string? Value) attribute = (null, null);
            DateTimeOffset? start = null, end = null;
            string? category = null, nextToken = null;
            var maxResults = LookupEventsQuery.MaxPageSize;
            foreach (var member in root.EnumerateObject())
            {
                if (member.Value.ValueKind == JsonValueKind.Null) continue;
                switch (member.Name)
                {
                    case "LookupAttributes": attribute = ReadAttributes(member.Value); break;
                    case "StartTime": start = ReadTimestamp(member); break;
                    case "EndTime": end = ReadTimestamp(member); break;
                    case "EventCategory": category = ReadString(member); break;
                    case "MaxResults": maxResults = ReadMaxResults(member); break;
                    case "NextToken": nextToken = ReadString(member); break;
                    default: throw AwsServiceException.Validation($"1 validation error detected: '{member.Name}' is not a member of LookupEventsRequest.");
                }
            }
            if (category is not null && category != "insight")
            {
                throw new AwsServiceException(400, "InvalidEventCategoryException", $"Event category '{category}' is not valid. The valid value is 'insight'.");
            }
            if (start is not null && end is not null && start > end)
            {
                throw new AwsServiceException(400, "InvalidTimeRangeException", "Start time must be before or equal to end time.");
            }
            return new LookupEventsQuery(attribute.Key, attribute.Value, start, end, category, maxResults, nextToken);
        }
    }

    private static (string? Key, string? Value) ReadAttributes(JsonElement list)
    {
        if (list.ValueKind != JsonValueKind.Array) throw AwsServiceException.Serialization("LookupAttributes must be a list.");
        if (list.GetArrayLength() > 1) throw InvalidAttributes("You can specify only one lookup attribute.");
        if (list.GetArrayLength() == 0) return (null, null);
        var attribute = list[0];
        if (attribute.ValueKind != JsonValueKind.Object) throw AwsServiceException.Serialization("A lookup attribute must be a structure.");
        string? key = null, value = null;
        foreach (var member in attribute.EnumerateObject())
        {
            switch (member.Name)
            {
                case "AttributeKey": key = ReadString(member); break;
                case "AttributeValue": value = ReadString(member); break;
                default: throw InvalidAttributes($"'{member.Name}' is not a member of LookupAttribute.");
            }
        }
        if (key is null || value is null) throw InvalidAttributes("A lookup attribute needs both AttributeKey and AttributeValue.");
        if (!AttributeKeys.Contains(key)) throw InvalidAttributes($"'{key}' is not a valid AttributeKey. Valid keys: {string.Join(", ", AttributeKeys)}.");
        // The model's limit, where '_', ' ', ',' and '\n' count twice.
        var length = value.Length + value.Count(character => character is '_' or ' ' or ',' or '\n');
        if (value.Length == 0 || length > 2000) throw InvalidAttributes("AttributeValue must be 1 to 2000 characters long.");
        if (key == "ReadOnly" && !bool.TryParse(value, out _)) throw InvalidAttributes("The ReadOnly attribute takes 'true' or 'false'.");
        return (key, value);
    }

    private static int ReadMaxResults(JsonProperty member)
    {
        if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetInt32(out var value))
        {
            throw AwsServiceException.Serialization("MaxResults must be an integer.");
        }
        if (value is < 1 or > LookupEventsQuery.MaxPageSize)
        {
            throw new AwsServiceException(400, "InvalidMaxResultsException", $"MaxResults must be between 1 and {LookupEventsQuery.MaxPageSize}.");
        }
        return value;
    }

    private static DateTimeOffset ReadTimestamp(JsonProperty member)
    {
        // The JSON 1.1 protocol sends timestamps as epoch seconds.
        if (member.Value.ValueKind != JsonValueKind.Number || !member.Value.TryGetDouble(out var seconds)
            || seconds < 0 || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw AwsServiceException.Serialization($"{member.Name} must be a timestamp in epoch seconds.");
        }
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
    }

    private static string ReadString(JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.String
            ? member.Value.GetString()!
            : throw AwsServiceException.Serialization($"{member.Name} must be a string.");

    private static AwsServiceException InvalidAttributes(string message) => new(400, "InvalidLookupAttributesException", message);
}
