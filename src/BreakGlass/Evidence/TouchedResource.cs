namespace BreakGlass.Evidence;

/// <summary>A resource an event touched: its CloudFormation-style type (<c>AWS::IAM::User</c>) and its ARN or name.</summary>
internal sealed record TouchedResource(string Type, string Name)
{
    /// <summary>"AWS::IAM::User backdoor": how the ticket comment, the report and the timeline write it.</summary>
    public override string ToString() => $"{Type} {Name}";
}

/// <summary>What an accepted change did to what it touched, as the summary groups it.</summary>
internal static class ChangeKind
{
    public const string Created = "created";
    public const string Changed = "changed";
    public const string Deleted = "deleted";

    public static readonly string[] Ordered = [Created, Changed, Deleted];
}

/// <summary>Whether AWS carried the call out.</summary>
internal static class EventOutcome
{
    public const string Accepted = "accepted";
    public const string Denied = "denied";
    public const string Failed = "failed";

    public static string Of(string? errorCode, IReadOnlyList<string> flags) =>
        errorCode is null ? Accepted : flags.Contains(EvidenceSeverity.AccessDenied) ? Denied : Failed;
}
