using BreakGlass.Auth;
using Microsoft.AspNetCore.Authorization;

namespace BreakGlass.Web;

/// <summary>
/// The pages' authorization policies: the API's roles, authenticated by the web sign-in cookie only. The API's own
/// policies use the default (bearer) scheme, so the cookie never authenticates an API call.
/// </summary>
internal static class WebPolicies
{
    public const string SignedIn = "web:signed-in";
    public const string Requester = "web:" + AppRoles.Requester;
    public const string Reviewer = "web:" + AppRoles.Reviewer;
    public const string Auditor = "web:" + AppRoles.Auditor;
    public const string EvidenceReaders = "web:evidence-readers";

    public static AuthorizationBuilder AddWebPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(SignedIn, policy => policy.AddAuthenticationSchemes(WebSignIn.CookieScheme).RequireAuthenticatedUser())
        .AddPolicy(Requester, policy => Role(policy, AppRoles.Requester))
        .AddPolicy(Reviewer, policy => Role(policy, AppRoles.Reviewer))
        .AddPolicy(Auditor, policy => Role(policy, AppRoles.Auditor))
        .AddPolicy(EvidenceReaders, policy => Role(policy, AppRoles.Reviewer, AppRoles.Auditor));

    private static void Role(AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.AddAuthenticationSchemes(WebSignIn.CookieScheme).RequireAuthenticatedUser().RequireClaim(AppRoles.ClaimType, roles);
}
