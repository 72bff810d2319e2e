namespace BreakGlass.Aws.CloudTrail;

/// <summary>The LookupEvents input, as in CloudTrail's service model (2013-11-01).</summary>
internal sealed record LookupEventsRequest
{
    /// <summary>CloudTrail accepts at most one attribute.</summary>
    public IReadOnlyList<LookupAttribute>? LookupAttributes { get; init; }

    public DateTimeOffset? StartTime { get; init; }

    public DateTimeOffset? EndTime { get; init; }

    /// <summary>1 to 50; CloudTrail's default is 50.</summary>
    public int? MaxResults { get; init; }

    public string? NextToken { get; init; }
}

internal sealed record LookupAttribute(string AttributeKey, string AttributeValue)
{
    public static LookupAttribute AccessKeyId(string accessKeyId) => new(LookupAttributeKeys.AccessKeyId, accessKeyId);

    /// <summary>An IAM user's name, or for a role session its role session name.</summary>
    public static LookupAttribute Username(string username) => new(LookupAttributeKeys.Username, username);
}

/// <summary>The attribute keys CloudTrail's model allows.</summary>
internal static class LookupAttributeKeys
{
    public const string AccessKeyId = "AccessKeyId";
    public const string EventId = "EventId";
    public const string EventName = "EventName";
    public const string EventSource = "EventSource";
    public const string ReadOnly = "ReadOnly";
    public const string ResourceName = "ResourceName";
    public const string ResourceType = "ResourceType";
    public const string Username = "Username";
}
