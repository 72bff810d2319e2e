using System.Security.Claims;
using BreakGlass.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace BreakGlass.Web;

/// <summary>People sign in to the pages with OIDC authorization code + PKCE; a cookie carries the session.</summary>
internal static class WebSignIn
{
    public const string CookieScheme = "web-cookie";
    public const string OidcScheme = "web-oidc";
    public const string CallbackPath = "/signin-oidc";
    public const string SignedOutCallbackPath = "/signout-callback-oidc";

    /// <summary>Who the person is and their groups; the pages call no API, so no API scope or refresh token.</summary>
    private static readonly string[] Scopes = ["openid", "profile", "email"];

    public static void AddWebSignIn(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "breakglass-session";
                cookie.Cookie.HttpOnly = true;
                // Lax, not Strict: a link from a ticket or chat to a grant page must arrive signed in.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request is HTTPS; the quick start is plain HTTP on 127.0.0.1.
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
                cookie.SlidingExpiration = false;
                cookie.ForwardChallenge = OidcScheme;
                // A wrong role is a plain 403 page (rendered by the status-code pages), not a redirect.
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(OidcScheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(OidcScheme)
            .Configure<IOptions<AuthOptions>, ILoggerFactory>((oidc, auth, loggers) => Configure(oidc, auth.Value, loggers.CreateLogger(typeof(WebSignIn))));
    }

    private static void Configure(OpenIdConnectOptions oidc, AuthOptions auth, ILogger logger)
    {
        oidc.SignInScheme = CookieScheme;
        oidc.Authority = auth.Authority;
        oidc.RequireHttpsMetadata = auth.Authority is null || !AuthSetup.IsLoopback(auth.Authority);
        oidc.ClientId = auth.Web.ClientId;
        // Only for an IdP that registered the client as confidential; PKCE protects the code either way.
        oidc.ClientSecret = string.IsNullOrWhiteSpace(auth.Web.ClientSecret) ? null : auth.Web.ClientSecret;
        oidc.ResponseType = "code";
        oidc.UsePkce = true;
        // The code comes back on a top-level GET, which carries Lax cookies; a cross-site form_post needs
        // SameSite=None cookies, which browsers refuse without HTTPS.
        oidc.ResponseMode = "query";
        oidc.CallbackPath = CallbackPath;
        oidc.SignedOutCallbackPath = SignedOutCallbackPath;
        oidc.Scope.Clear();
        foreach (var scope in Scopes) oidc.Scope.Add(scope);
        oidc.MapInboundClaims = false;
        oidc.SaveTokens = false;
        oidc.GetClaimsFromUserInfoEndpoint = true;
        oidc.ClaimActions.MapUniqueJsonKey(auth.UserClaim, auth.UserClaim);
        oidc.ClaimActions.MapUniqueJsonKey(auth.DisplayNameClaim, auth.DisplayNameClaim);
        oidc.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
        oidc.ClaimActions.MapJsonKey(auth.RoleClaim, auth.RoleClaim);
        oidc.TokenValidationParameters.NameClaimType = AppRoles.UserClaimType;
        oidc.TokenValidationParameters.RoleClaimType = AppRoles.ClaimType;
        foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }
        oidc.Events.OnTicketReceived = context =>
        {
            // The same identity and group-to-role mapping as a bearer token gets from the API.
            if (AuthSetup.DeriveIdentity((ClaimsIdentity)context.Principal!.Identity!, auth) is { } refusal)
            {
                WebLog.SignInRefused(logger, refusal);
                context.Fail(refusal);
            }
            return Task.CompletedTask;
        };
        oidc.Events.OnRemoteFailure = context =>
        {
            WebLog.SignInFailed(logger, context.Failure?.Message ?? "unknown");
            // The status page says sign-in failed; the reason stays in the log.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }
}
