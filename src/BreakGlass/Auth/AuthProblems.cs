using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BreakGlass.Auth;

/// <summary>
/// Every 401 and 403 the authorization middleware gives carries a problem <c>detail</c> saying what to do: sign in
/// (again), or which IdP group the action needs. The default handler still challenges or forbids (status,
/// <c>WWW-Authenticate</c>); this only writes the body, which is otherwise empty.
/// </summary>
internal sealed class AuthProblems(IProblemDetailsService problems, IOptionsMonitor<AuthOptions> options) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await _default.HandleAsync(next, context, policy, authorizeResult);
        if (context.Response.HasStarted || !(authorizeResult.Challenged || authorizeResult.Forbidden)) return;
        var (title, detail) = authorizeResult.Challenged
            ? ("Sign-in required", await SignInDetailAsync(context))
            : ("Not allowed for your groups", GroupDetail(policy, context.User));
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = context.Response.StatusCode, Title = title, Detail = detail },
        });
    }

    private static async Task<string> SignInDetailAsync(HttpContext context)
    {
        if (!context.Request.Headers.Authorization.Any(value => value?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true))
        {
            return "No bearer token was sent: sign in (breakglass login, or your identity provider) and send it as 'Authorization: Bearer <token>'.";
        }
        // The handler keeps its result for the request, so this does not validate the token again. Only BreakGlass's own
        // refusals are echoed: the token library's messages may quote the token.
        return (await context.AuthenticateAsync()).Failure switch
        {
            SecurityTokenExpiredException => "Your token has expired: sign in again (breakglass login) and retry with the new token.",
            AuthenticationFailureException refusal => $"Your token was refused: {refusal.Message}. Sign in again with an account that has it.",
            _ => "Your token was not accepted (it is not signed by the configured identity provider, or it is for another issuer or audience): sign in again (breakglass login) and retry with the new token.",
        };
    }

    private string GroupDetail(AuthorizationPolicy policy, ClaimsPrincipal caller)
    {
        var roles = policy.Requirements.OfType<ClaimsAuthorizationRequirement>()
            .Where(requirement => requirement.ClaimType == AppRoles.ClaimType)
            .SelectMany(requirement => requirement.AllowedValues ?? [])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (roles.Count == 0) return "You are not allowed to do this.";
        var groups = options.CurrentValue.Groups;
        var needed = roles.Select(role => $"{role} (IdP group {Names(role switch
        {
            AppRoles.Requester => groups.Requester,
            AppRoles.Reviewer => groups.Reviewer,
            _ => groups.Auditor,
        })}, mapped by Auth:Groups:{char.ToUpperInvariant(role[0])}{role[1..]})");
        var held = caller.FindAll(AppRoles.ClaimType).Select(claim => claim.Value).ToList();
        return $"This needs the role {string.Join(" or ", needed)}. Your token gives you {(held.Count == 0 ? "no BreakGlass role" : "the role " + string.Join(", ", held))}: " +
               "ask your identity provider's administrator for the group, then sign in again.";
    }

    private static string Names(string[] groups) =>
        groups.Length == 0 ? "(none configured)" : string.Join(" or ", groups.Select(group => $"'{group}'"));
}
