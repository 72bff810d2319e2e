using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BreakGlass.Auth;

/// <summary>What a client needs to sign a person in (the CLI reads it from the service URL alone).</summary>
internal sealed record SignInConfiguration(string Authority, string ClientId, IReadOnlyList<string> Scopes, string Audience);

internal static class SignInConfigurationApi
{
    public const string Path = "/.well-known/breakglass-configuration";

    public static RouteHandlerBuilder MapSignInConfiguration(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, Get).AllowAnonymous().WithTags("Sign-in").ProducesProblems(StatusCodes.Status404NotFound);

    private static Results<Ok<SignInConfiguration>, ProblemHttpResult> Get(IOptions<AuthOptions> options, HttpResponse response)
    {
        var auth = options.Value;
        if (string.IsNullOrWhiteSpace(auth.Authority) || string.IsNullOrEmpty(auth.Cli.ClientId))
        {
            response.Headers.CacheControl = "no-cache";
            return TypedResults.Problem(
                string.IsNullOrWhiteSpace(auth.Authority)
                    ? "This BreakGlass trusts a static key file (Auth:SigningKeysFile), not an identity provider: there is nowhere to sign in. Use a bearer token from whoever issues them."
                    : "This BreakGlass names no client to sign in as (Auth:Cli:ClientId): use a bearer token from your identity provider.",
                statusCode: StatusCodes.Status404NotFound,
                title: "Sign-in is not configured");
        }
        // Changes only with a restart of the service: clients may keep it for a few minutes.
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new SignInConfiguration(auth.Authority, auth.Cli.ClientId, auth.Cli.ScopeList, auth.Audience));
    }
}
