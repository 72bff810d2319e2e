using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace BreakGlass.Drills;

internal static class DrillsApi
{
    private const int MaxListed = 500;

    public static RouteGroupBuilder MapDrills(this IEndpointRouteBuilder app)
    {
        var drills = app.MapGroup("/api/drills").WithTags("Drills").RequireAuthorization(AuthSetup.EvidenceReaders).ProducesAuthorisedProblems();
        drills.MapPost("/", StartAsync).RequireAuthorization(AppRoles.Reviewer).ProducesProblems(StatusCodes.Status409Conflict);
        drills.MapGet("/", ListAsync).ProducesProblems(StatusCodes.Status400BadRequest);
        drills.MapGet("/{id:guid}", FindAsync).ProducesProblems(StatusCodes.Status404NotFound);
        return drills;
    }

    /// <summary>Starts a drill in the background; <c>GET /api/drills/{id}</c> follows it.</summary>
    private static async Task<Accepted<DrillStarted>> StartAsync(HttpContext context, DrillRunner runner, CancellationToken cancellationToken)
    {
        var id = await runner.StartAsync(context.User.UserName(), cancellationToken);
        return TypedResults.Accepted($"/api/drills/{id}", new DrillStarted(id));
    }

    /// <summary>Drills, newest first: the evidence that the emergency procedure works.</summary>
    private static async Task<Ok<IReadOnlyList<Drill>>> ListAsync(NpgsqlDataSource database, CancellationToken cancellationToken, int limit = 50)
    {
        if (limit is < 1 or > MaxListed) throw new InvalidRequestException($"limit must be between 1 and {MaxListed}.");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await DrillStore.ListAsync(connection, limit));
    }

    private static async Task<Ok<Drill>> FindAsync(Guid id, NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok(await DrillStore.FindAsync(connection, id) ?? throw new NotFoundException($"No drill {id} exists."));
    }
}
