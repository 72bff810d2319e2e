namespace BreakGlass.Grants;

/// <summary>
/// One break-glass exception as stored. <see cref="Requester"/> is the engineer's stable identity (it decides
/// ownership); <see cref="RequesterName"/> is how people see them and decides nothing. <see cref="PolicyVersion"/> is the
/// break-glass policy in force when it was requested (null for grants from before policy versions were recorded).
/// </summary>
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
    string? LastRevocationError,
    string RequesterName,
    string? PolicyVersion = null)
{
    /// <summary>The id as it appears in session names: the random tail of the UUIDv7, not its timestamp head.</summary>
    public string ShortId => Id.ToString("N")[^8..];

    public bool IsOwnedBy(string user) => string.Equals(Requester, user, StringComparison.Ordinal);
}
