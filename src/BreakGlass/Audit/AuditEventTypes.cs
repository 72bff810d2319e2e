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
    /// <summary>A deny write read back from IAM and found to hold exactly what was written.</summary>
    public const string DenyVerified = "deny.verified";
    /// <summary>The reconciler found a role's deny deleted or edited behind BreakGlass's back and put it back.</summary>
    public const string DenyDriftRepaired = "deny.drift_repaired";
    public const string RoleSessionsCutOff = "role.sessions_cut_off";
    public const string RoleRevokedAll = "role.revoked_all";
}
