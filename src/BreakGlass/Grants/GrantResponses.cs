using BreakGlass.Aws.Sts;

namespace BreakGlass.Grants;

internal sealed record CredentialsResponse(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    public static CredentialsResponse From(IssuedCredentials credentials) =>
        new(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, credentials.Expiration);

    public override string ToString() => $"CredentialsResponse {{ AccessKeyId = {AccessKeyId} }}";
}

/// <summary>
/// A grant as the API shows it: never with secrets, except <see cref="Credentials"/> right after minting.
/// <see cref="Ticket"/> is null only for a drill's grant, which has no ticket unless <c>Drills:FileTicket</c> is set.
/// </summary>
internal sealed record GrantResponse(
    Guid Id,
    string Status,
    string Requester,
    string RequesterName,
    string Role,
    string RoleArn,
    string Reason,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    string? EndedBy,
    string? EndReason,
    TicketView? Ticket,
    IReadOnlyList<string> AccessKeyIds,
    string? LastRevocationError,
    CredentialsResponse? Credentials)
{
    public static GrantResponse From(Grant grant, IReadOnlyList<string> accessKeyIds, TicketView? ticket, IssuedCredentials? credentials = null) =>
        new(grant.Id, grant.Status.ToString(), grant.Requester, grant.RequesterName, grant.RoleName, grant.RoleArn, grant.Reason,
            grant.RequestedAt, grant.ExpiresAt, grant.EndedAt, grant.EndedBy, grant.EndReason, ticket, accessKeyIds,
            grant.LastRevocationError, credentials is null ? null : CredentialsResponse.From(credentials));
}

/// <summary>Where the grant's ticket stands: <c>linked</c>, <c>filed</c> or <c>pending</c> (with the last error).</summary>
internal sealed record TicketView(string Status, string? Identifier, string? Url, string? LastError);
