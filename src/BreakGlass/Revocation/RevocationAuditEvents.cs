namespace BreakGlass.Revocation;

/// <summary>Audit event types of ending a grant and cutting its sessions off, one grant or a whole role at a time.</summary>
internal static class RevocationAuditEvents
{
    public const string Ending = "grant.ending";
    public const string Revoked = "grant.revoked";
    public const string Failed = "grant.revocation_failed";
    /// <summary>A deny write read back from IAM and found to hold exactly what was written.</summary>
    public const string DenyVerified = "deny.verified";
    /// <summary>The reconciler found a role's deny deleted or edited behind BreakGlass's back and put it back.</summary>
    public const string DenyDriftRepaired = "deny.drift_repaired";
    public const string RoleSessionsCutOff = "role.sessions_cut_off";
    public const string RoleRevokedAll = "role.revoked_all";
}
