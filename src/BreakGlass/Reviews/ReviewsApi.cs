using System.Security.Claims;
using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.Reviews;

internal static class ReviewsApi
{
    public static RouteGroupBuilder MapReviews(this IEndpointRouteBuilder app)
    {
        var reviews = app.MapGroup("/api/reviews").WithTags("Reviews").RequireAuthorization(AppRoles.Reviewer).ProducesAuthorisedProblems();
        reviews.MapGet("/", ListAsync).ProducesProblems(StatusCodes.Status400BadRequest);
        // 403 also for the reviewer's own grant; 409 for a decided or not-yet-reviewable grant or a stale evidence hash.
        reviews.MapPost("/{grantId:guid}/decision", DecideAsync)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return reviews;
    }

    private static async Task<Ok<IReadOnlyList<ReviewItem>>> ListAsync(
        ReviewQueue queue, CancellationToken cancellationToken, string status = "pending", int limit = 100)
    {
        if (!Enum.TryParse<ReviewQueueStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
        {
            throw new InvalidRequestException("status must be pending, overdue or done.");
        }
        if (limit is < 1 or > 500) throw new InvalidRequestException("limit must be between 1 and 500.");
        return TypedResults.Ok(await queue.ListAsync(parsed, limit, cancellationToken));
    }

    private static async Task<Ok<ReviewView>> DecideAsync(
        Guid grantId, DecisionRequest request, ClaimsPrincipal caller, ReviewDecisions decisions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await decisions.DecideAsync(caller, grantId, request, cancellationToken));
}
