namespace BreakGlass.Revocation;

/// <summary>A revoked grant and the moment its STS credentials stop working on their own.</summary>
internal sealed record DenyPolicyEntry(Guid GrantId, DateTimeOffset CredentialsExpireAt);
