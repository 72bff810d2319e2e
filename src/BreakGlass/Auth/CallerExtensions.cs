using System.Security.Claims;

namespace BreakGlass.Auth;

internal static class CallerExtensions
{
    /// <summary>The authenticated caller's identity (normalised user claim); authentication guarantees it exists.</summary>
    public static string UserName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(AppRoles.UserClaimType)
        ?? throw new InvalidOperationException("an authenticated principal without a user claim reached an endpoint");

    public static bool HasAppRole(this ClaimsPrincipal principal, string role) => principal.HasClaim(AppRoles.ClaimType, role);

    public static IReadOnlySet<string> IdpGroups(this ClaimsPrincipal principal, string roleClaim) =>
        principal.FindAll(roleClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
}
