namespace BreakGlass.Grants;

/// <summary>Audit event types of requesting and issuing a grant.</summary>
internal static class GrantAuditEvents
{
    public const string Requested = "grant.requested";
    public const string Denied = "grant.denied";
    public const string Issued = "grant.issued";
    public const string Failed = "grant.failed";
    public const string CredentialsReissued = "grant.credentials_reissued";
    public const string CredentialsWithheld = "grant.credentials_withheld";
}
