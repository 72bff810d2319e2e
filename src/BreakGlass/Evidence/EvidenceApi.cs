using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.Evidence;

internal static class EvidenceApi
{
    public static RouteGroupBuilder MapEvidence(this IEndpointRouteBuilder app)
    {
        var evidence = app.MapGroup("/api/grants").WithTags("Evidence").RequireAuthorization(AuthSetup.EvidenceReaders).ProducesAuthorisedProblems();
        evidence.MapGet("/{id:guid}/evidence", GetAsync).ProducesProblems(StatusCodes.Status404NotFound);
        return evidence;
    }

    /// <summary>Completeness, pass times, the hash to sign off on, the summary, and the events most severe first.</summary>
    private static async Task<Ok<EvidenceReport>> GetAsync(Guid id, EvidenceStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.LoadReportAsync(id, cancellationToken) ?? throw new NotFoundException($"No grant {id} exists."));
}
