using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>The provider's HTML: plain forms a person or a test's <c>HttpClient</c> can fill in, each page saying what it is.</summary>
internal static class Page
{
    public const string DevelopmentNotice =
        "DEVELOPMENT ONLY: this is BreakGlass's local development sign-in. Anyone on this machine can sign in as anyone; " +
        "never use it for real access.";

    public static IResult Html(string title, string body, int statusCode = StatusCodes.Status200OK) => Results.Content(
        $"""
         <!doctype html>
         <html lang="en">
         <head><meta charset="utf-8"><title>{Encode(title)} · BreakGlass development sign-in</title></head>
         <body>
         <p role="alert" style="background:#fde68a;padding:.5em;font-weight:bold">{Encode(DevelopmentNotice)}</p>
         <h1>{Encode(title)}</h1>
         {body}
         </body>
         </html>
         """,
        "text/html; charset=utf-8", Encoding.UTF8, statusCode);

    /// <summary>An error page: OpenIddict's refusal of a sign-in request when there is one, else plain "nothing here".</summary>
    public static IResult Problem(HttpContext http)
    {
        var status = http.Response.StatusCode;
        return http.GetOpenIddictServerResponse() is { Error: { } error } refusal
            ? Html("Sign-in request refused", $"<p><code>{Encode(error)}</code>: {Encode(refusal.ErrorDescription ?? "")}</p>", status)
            : Html($"{status}", "<p>There is nothing here. The provider's pages start at <a href=\"/\">/</a>.</p>", status);
    }

    public static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    public static string Hidden(string name, string value) => $"""<input type="hidden" name="{Encode(name)}" value="{Encode(value)}">""";

    /// <summary>One submit button per user: the form field <c>dev_user</c> carries the chosen name.</summary>
    public static string UserButtons(IEnumerable<DevUser> users) => string.Concat(users.Select(user =>
        $"""<p><button type="submit" name="{SignInPages.UserField}" value="{Encode(user.Name)}">Sign in as {Encode(user.Name)}</button> {Encode(user.Email)}{(user.Description.Length > 0 ? " · " + Encode(user.Description) : "")} · groups: {Encode(string.Join(", ", user.Groups))}</p>"""));

    public static string DenyButton =>
        $"""<p><button type="submit" name="{SignInPages.DenyField}" value="1">Refuse</button></p>""";
}
