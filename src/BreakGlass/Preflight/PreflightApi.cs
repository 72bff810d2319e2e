using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.Preflight;

internal static class PreflightApi
{
    public static RouteGroupBuilder MapPreflight(this IEndpointRouteBuilder app)
    {
        var preflight = app.MapGroup("/api/preflight").WithTags("Preflight").RequireAuthorization(AuthSetup.EvidenceReaders).ProducesAuthorisedProblems();
        preflight.MapGet("/", RunAsync);
        return preflight;
    }

    /// <summary>Runs every check now, for every configured role; the run is recorded like the scheduled one.</summary>
    private static async Task<Ok<PreflightReport>> RunAsync(HttpContext context, PreflightRunner runner, CancellationToken cancellationToken) =>
        TypedResults.Ok(await runner.RunAsync(context.User.UserName(), cancellationToken));
}
