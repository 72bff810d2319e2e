namespace BreakGlass.Auth;

/// <summary>BreakGlass's own roles, mapped from IdP groups; also the names of the authorization policies.</summary>
internal static class AppRoles
{
    public const string Requester = "requester";
    public const string Reviewer = "reviewer";
    public const string Auditor = "auditor";

    /// <summary>
    /// Claims BreakGlass derives itself start with this. A token may carry such claims too: they are removed before
    /// BreakGlass adds its own, so nothing an IdP (or a forger of claims) sends can grant a role or an identity.
    /// </summary>
    public const string DerivedClaimPrefix = "breakglass:";

    /// <summary>The claim type BreakGlass adds for its roles (mapped from the configured group claim only).</summary>
    public const string ClaimType = DerivedClaimPrefix + "role";

    /// <summary>The claim type holding the caller's stable identity (copied from the configured user claim).</summary>
    public const string UserClaimType = DerivedClaimPrefix + "user";

    /// <summary>The claim type holding the caller's name for humans (the display-name claim, else the identity).</summary>
    public const string DisplayNameClaimType = DerivedClaimPrefix + "display-name";
}
