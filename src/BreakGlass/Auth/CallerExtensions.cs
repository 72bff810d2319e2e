using System.Security.Claims;

namespace BreakGlass.Auth;

internal static class CallerExtensions
{
    /// <summary>The authenticated caller's stable identity (the <c>Auth:UserClaim</c>); authentication guarantees it exists.</summary>
    public static string UserName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(AppRoles.UserClaimType)
        ?? throw new InvalidOperationException("an authenticated principal without a user claim reached an endpoint");

    /// <summary>The caller's name for humans (<c>Auth:DisplayNameClaim</c>, else the identity); never decides anything.</summary>
    public static string DisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(AppRoles.DisplayNameClaimType) ?? principal.UserName();

    public static bool HasAppRole(this ClaimsPrincipal principal, string role) => principal.HasClaim(AppRoles.ClaimType, role);

    public static IReadOnlySet<string> IdpGroups(this ClaimsPrincipal principal, string roleClaim) =>
        principal.FindAll(roleClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
}
