namespace BreakGlass.Revocation;

/// <summary>Audit event types of ending a grant and cutting its sessions off, one grant or a whole role at a time.</summary>
internal static class RevocationAuditEvents
{
    public const string Ending = "grant.ending";
    public const string Revoked = "grant.revoked";
    public const string Failed = "grant.revocation_failed";
    public const string RoleSessionsCutOff = "role.sessions_cut_off";
    public const string RoleRevokedAll = "role.revoked_all";
}
