using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>
/// The pages OpenIddict leaves to the host (it passes these requests through): choosing a user for an authorization
/// request (code + PKCE) and for a device's user code (RFC 8628), and signing out. Everything else — discovery,
/// JWKS, the device and token endpoints, PKCE and redirect URI checks — is OpenIddict's.
/// </summary>
internal static class SignInPages
{
    /// <summary>The form field naming the chosen user.</summary>
    public const string UserField = "dev_user";

    /// <summary>The form field refusing the request.</summary>
    public const string DenyField = "dev_deny";

    public const string AuthorizePath = "/connect/authorize";
    public const string VerifyPath = "/connect/verify";
    public const string VerifiedPath = "/connect/verify/done";
    public const string EndSessionPath = "/connect/logout";

    private const string Scheme = OpenIddictServerAspNetCoreDefaults.AuthenticationScheme;

    public static void MapSignInPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Home);
        app.MapMethods(AuthorizePath, [HttpMethods.Get, HttpMethods.Post], Authorize);
        app.MapMethods(VerifyPath, [HttpMethods.Get, HttpMethods.Post], VerifyAsync);
        app.MapGet(VerifiedPath, (string? outcome) => outcome == "denied"
            ? Page.Html("Sign-in refused", "<p>You refused the sign-in. You can close this page.</p>")
            : Page.Html("Signed in", "<p>The device is signed in. Go back to your terminal; you can close this page.</p>"));
        app.MapMethods(EndSessionPath, [HttpMethods.Get, HttpMethods.Post], () =>
            Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [Scheme]));
    }

    private static IResult Home(ProviderSettings settings) => Page.Html(
        "BreakGlass development sign-in",
        $"""
         <p>An OpenID Connect provider for the quick start and the tests. Its people:</p>
         <ul>{string.Concat(settings.Users.Select(user => $"<li>{Page.Encode(user.Name)}: {Page.Encode(user.Email)}, groups {Page.Encode(string.Join(", ", user.Groups))}</li>"))}</ul>
         <p>Discovery: <a href="/.well-known/openid-configuration">/.well-known/openid-configuration</a>.
         Signing in a device? <a href="{VerifyPath}">Enter its code</a>.</p>
         """);

    private static IResult Authorize(HttpContext http, ProviderSettings settings)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("OpenIddict passed through a request it did not parse");
        // Only the page's own form decides: a link carrying a choice must not sign anyone in without a click.
        var posted = HttpMethods.IsPost(http.Request.Method);
        if (posted && request.HasParameter(DenyField)) return Refuse(Errors.AccessDenied, "The user refused the sign-in.");
        var chosen = posted ? (string?)request[UserField] : null;
        if (chosen is null)
        {
            // Nobody is ever signed in here between requests: a silent sign-in cannot succeed.
            return request.HasPromptValue(PromptValues.None)
                ? Refuse(Errors.LoginRequired, "The development provider keeps no session: choose a user.")
                : ChooseUser(request, settings, problem: null);
        }
        var user = settings.Users.FirstOrDefault(candidate => candidate.Name == chosen);
        if (user is null) return ChooseUser(request, settings, problem: $"There is no development user '{chosen}'.");
        return Results.SignIn(ProviderClaims.For(user, request.GetScopes(), settings.Audience), authenticationScheme: Scheme);
    }

    private static IResult ChooseUser(OpenIddictRequest request, ProviderSettings settings, string? problem)
    {
        var carried = request.GetParameters()
            .Where(parameter => parameter.Key is not (UserField or DenyField))
            .Select(parameter => Page.Hidden(parameter.Key, (string?)parameter.Value ?? ""));
        return Page.Html(
            "Choose who signs in",
            $"""
             {(problem is null ? "" : $"<p role=\"status\">{Page.Encode(problem)}</p>")}
             <p>Application <code>{Page.Encode(request.ClientId ?? "")}</code> asks for: <code>{Page.Encode(request.Scope ?? "")}</code></p>
             <form method="post" action="{AuthorizePath}">
             {string.Concat(carried)}
             {Page.UserButtons(settings.Users)}
             {Page.DenyButton}
             </form>
             """,
            problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> VerifyAsync(HttpContext http, ProviderSettings settings)
    {
        // OpenIddict has resolved the user_code (query or form) into the device request it belongs to.
        var device = await http.AuthenticateAsync(Scheme);
        var userCode = device.Properties?.GetTokenValue(OpenIddictServerAspNetCoreConstants.Tokens.UserCode);
        var valid = device.Succeeded && !string.IsNullOrEmpty(device.Principal.GetClaim(Claims.ClientId));
        if (!valid)
        {
            return string.IsNullOrEmpty(userCode)
                ? EnterCode(settings, userCode: "", problem: null)
                : EnterCode(settings, userCode, "That code is not valid or has expired: start the sign-in again on your device.");
        }
        if (!HttpMethods.IsPost(http.Request.Method)) return EnterCode(settings, userCode!, problem: null);

        var form = await http.Request.ReadFormAsync();
        if (form.ContainsKey(DenyField))
        {
            return Results.Forbid(new AuthenticationProperties { RedirectUri = VerifiedPath + "?outcome=denied" }, [Scheme]);
        }
        var chosen = form[UserField].ToString();
        var user = settings.Users.FirstOrDefault(candidate => candidate.Name == chosen);
        if (user is null) return EnterCode(settings, userCode!, $"There is no development user '{chosen}'.");
        return Results.SignIn(
            ProviderClaims.For(user, device.Principal!.GetScopes(), settings.Audience),
            new AuthenticationProperties { RedirectUri = VerifiedPath },
            Scheme);
    }

    private static IResult EnterCode(ProviderSettings settings, string userCode, string? problem) => Page.Html(
        "Sign in a device",
        $"""
         {(problem is null ? "" : $"<p role=\"status\">{Page.Encode(problem)}</p>")}
         <form method="post" action="{VerifyPath}">
         <p><label>Code shown on your device <input name="user_code" value="{Page.Encode(userCode)}" autocomplete="off"></label></p>
         {Page.UserButtons(settings.Users)}
         {Page.DenyButton}
         </form>
         """,
        problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [Scheme]);
}
