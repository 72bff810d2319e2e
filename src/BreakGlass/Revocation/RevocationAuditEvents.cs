namespace BreakGlass.Revocation;

/// <summary>Audit event types of ending a grant and cutting its sessions off.</summary>
internal static class RevocationAuditEvents
{
    public const string Ending = "grant.ending";
    public const string Revoked = "grant.revoked";
    public const string Failed = "grant.revocation_failed";
}
