namespace BreakGlass.LocalAws.Iam;

/// <summary>What IAM knows about an assumed-role session when it evaluates a request made with it.</summary>
internal sealed record SessionContext(IReadOnlyDictionary<string, string> PrincipalTags, string? SourceIdentity, DateTimeOffset TokenIssueTime);
