namespace BreakGlass.Audit;

internal static class AuditEventTypes
{
    public const string GrantRequested = "grant.requested";
    public const string GrantDenied = "grant.denied";
    public const string GrantIssued = "grant.issued";
    public const string GrantFailed = "grant.failed";
    public const string CredentialsReissued = "grant.credentials_reissued";
    public const string CredentialsWithheld = "grant.credentials_withheld";
    public const string GrantEnding = "grant.ending";
    public const string GrantRevoked = "grant.revoked";
    public const string RevocationFailed = "grant.revocation_failed";
    public const string RoleSessionsCutOff = "role.sessions_cut_off";
    public const string RoleRevokedAll = "role.revoked_all";
}
