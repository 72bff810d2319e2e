namespace BreakGlass.Auth;

/// <summary>BreakGlass's own roles, mapped from IdP groups; also the names of the authorization policies.</summary>
internal static class AppRoles
{
    public const string Requester = "requester";
    public const string Reviewer = "reviewer";
    public const string Auditor = "auditor";

    /// <summary>The claim type BreakGlass adds for its roles, distinct from anything an IdP could send.</summary>
    public const string ClaimType = "breakglass:role";

    /// <summary>The claim type holding the caller's identity (copied from the configured user claim).</summary>
    public const string UserClaimType = "breakglass:user";
}
