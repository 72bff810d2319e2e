using System.Security.Claims;
using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.Grants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.Revocation;

internal static class RevokeAllApi
{
    public static RouteHandlerBuilder MapRevokeAll(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/roles/{name}/revoke-all", RevokeAllAsync).RequireAuthorization(AppRoles.Reviewer).WithTags("Revocation")
            .ProducesAuthorisedProblems()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway);

    private static async Task<Ok<RevokeAllOutcome>> RevokeAllAsync(
        string name, RevokeGrantRequest request, ClaimsPrincipal caller, RoleRevokeAll panic, CancellationToken cancellationToken) =>
        TypedResults.Ok(await panic.RevokeAllAsync(name, caller.UserName(), request.ValidReason(), cancellationToken));
}
