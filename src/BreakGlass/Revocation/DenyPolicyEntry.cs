namespace BreakGlass.Revocation;

/// <summary>
/// A revoked grant, the moment its STS credentials stop working on their own, and when it ended (null for a grant
/// that never became active): a panic or overflow cut-off covers the sessions of grants that ended before it.
/// </summary>
internal sealed record DenyPolicyEntry(Guid GrantId, DateTimeOffset CredentialsExpireAt, DateTimeOffset? EndedAt = null);
