using System.Security.Claims;
using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace BreakGlass.Grants;

internal static class GrantsApi
{
    public const string GrantRequestsRateLimit = "grant-requests";

    public static RouteGroupBuilder MapGrants(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/roles", ListRoles).RequireAuthorization(AppRoles.Requester).WithTags("Grants").ProducesAuthorisedProblems();

        var grants = app.MapGroup("/api/grants").WithTags("Grants").ProducesAuthorisedProblems();
        // 403 also when the policy refuses, 422 for a reused Idempotency-Key or a ticket Linear does not know, 502 when STS fails,
        // 503 (declared for every endpoint) also when the role's account cannot be reached to revoke (Accounts).
        grants.MapPost("/", CreateAsync).RequireAuthorization(AppRoles.Requester).RequireRateLimiting(GrantRequestsRateLimit)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity,
                StatusCodes.Status429TooManyRequests, StatusCodes.Status502BadGateway).CarriesCredentials();
        grants.MapPost("/{id:guid}/credentials", ReissueAsync).RequireAuthorization(AppRoles.Requester).RequireRateLimiting(GrantRequestsRateLimit)
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status429TooManyRequests, StatusCodes.Status502BadGateway)
            .CarriesCredentials();
        grants.MapGet("/", ListAsync).RequireAuthorization(AuthSetup.GrantReaders).ProducesProblems(StatusCodes.Status400BadRequest);
        grants.MapGet("/{id:guid}", GetAsync).RequireAuthorization(AuthSetup.GrantReaders).ProducesProblems(StatusCodes.Status404NotFound);
        grants.MapPost("/{id:guid}/revoke", RevokeAsync).RequireAuthorization(AuthSetup.GrantEnders)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return grants;
    }

    // A secret access key must never sit in a browser, proxy or CLI HTTP cache.
    private static RouteHandlerBuilder CarriesCredentials(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter((context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return next(context);
        });

    internal sealed record RoleView(string Name, string RoleArn, int MaxDurationMinutes, bool RequireTicket);

    private static Ok<RoleView[]> ListRoles(ClaimsPrincipal caller, Eligibility eligibility) =>
        TypedResults.Ok(eligibility.RolesFor(caller)
            .Select(role => new RoleView(role.Name, role.RoleArn, role.MaxDurationMinutes, role.RequireTicket)).ToArray());

    private static async Task<Results<Created<GrantResponse>, Ok<GrantResponse>>> CreateAsync(
        CreateGrantRequest request,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        HttpRequest http,
        ClaimsPrincipal caller,
        GrantIssuer issuer,
        GrantViews views,
        CancellationToken cancellationToken)
    {
        // Checked raw: binding turns an empty header into no key, so a client whose key generator failed would lose idempotency silently.
        var outcome = await issuer.IssueAsync(caller, request.Validate(IdempotencyKeyProblem(http)), idempotencyKey, cancellationToken);
        var response = await views.ViewAsync(outcome.Grant, outcome.Credentials, cancellationToken);
        return outcome.Replayed && outcome.Credentials is null
            ? TypedResults.Ok(response)
            : TypedResults.Created($"/api/grants/{outcome.Grant.Id}", response);
    }

    internal const string IdempotencyKeyHeader = "Idempotency-Key";

    private static string? IdempotencyKeyProblem(HttpRequest http)
    {
        if (!http.Headers.TryGetValue(IdempotencyKeyHeader, out var values)) return null;
        var key = values.Count == 1 ? values[0] ?? "" : null;
        return key is { Length: >= 1 and <= 200 } && !key.Any(char.IsControl) && !string.IsNullOrWhiteSpace(key)
            ? null
            : "'Idempotency-Key' must be one value of 1-200 printable characters when sent (a UUID is a good choice); it was " +
              (key is null ? "sent more than once." : string.IsNullOrWhiteSpace(key) ? "empty." : "too long or held control characters.");
    }

    private static async Task<Ok<GrantResponse>> ReissueAsync(
        Guid id, ClaimsPrincipal caller, GrantIssuer issuer, GrantViews views, CancellationToken cancellationToken)
    {
        var outcome = await issuer.ReissueAsync(caller, id, cancellationToken);
        return TypedResults.Ok(await views.ViewAsync(outcome.Grant, outcome.Credentials, cancellationToken));
    }

    private static async Task<Ok<GrantResponse[]>> ListAsync(
        ClaimsPrincipal caller, GrantViews views, CancellationToken cancellationToken, int limit = 100, bool mine = false)
    {
        if (limit is < 1 or > 500) throw new InvalidRequestException("limit must be between 1 and 500.");
        // A requester who is neither reviewer nor auditor sees only their own grants; anyone may ask for only their own.
        var onlyOwn = mine || !GrantViews.SeesAllGrants(caller);
        return TypedResults.Ok(await views.ListAsync(onlyOwn ? caller.UserName() : null, limit, cancellationToken));
    }

    private static async Task<Ok<GrantResponse>> GetAsync(
        Guid id, ClaimsPrincipal caller, GrantViews views, CancellationToken cancellationToken) =>
        TypedResults.Ok(await views.ViewAsync(await views.FindVisibleAsync(id, caller, cancellationToken), null, cancellationToken));

    private static async Task<Ok<GrantResponse>> RevokeAsync(
        Guid id, RevokeGrantRequest request, ClaimsPrincipal caller, GrantEnding ending, GrantViews views, CancellationToken cancellationToken) =>
        TypedResults.Ok(await views.ViewAsync(await ending.EndAsync(caller, id, request, cancellationToken), null, cancellationToken));
}
