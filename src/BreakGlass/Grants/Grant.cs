namespace BreakGlass.Grants;

/// <summary>One break-glass exception as stored.</summary>
internal sealed record Grant(
    Guid Id,
    GrantStatus Status,
    string Requester,
    string RoleName,
    string RoleArn,
    string Reason,
    string? TicketReference,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CredentialsExpireAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? EndReason,
    int RevocationAttempts,
    string? LastRevocationError)
{
    /// <summary>The id as it appears in session names: the random tail of the UUIDv7, not its timestamp head.</summary>
    public string ShortId => Id.ToString("N")[^8..];

    public bool IsOwnedBy(string user) => string.Equals(Requester, user, StringComparison.Ordinal);
}
