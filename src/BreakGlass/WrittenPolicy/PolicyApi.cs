using System.Security.Claims;
using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.WrittenPolicy;

/// <summary>The policy in force: its version, approval status, Markdown, and the content the version is hashed from.</summary>
internal sealed record PolicyResponse(
    string Version, string Status, string Markdown, DateTimeOffset FirstSeenAt, string? ChangedBy, string? ApprovedBy, DateTimeOffset? ApprovedAt,
    PolicyContent Policy);

/// <summary>One version in the history, with the Markdown it was in force as.</summary>
internal sealed record PolicyHistoryItem(
    string Version, string Status, DateTimeOffset FirstSeenAt, string? ChangedBy, string? ApprovedBy, DateTimeOffset? ApprovedAt, bool InForce, string Markdown);

internal static class PolicyApi
{
    public const string MarkdownMediaType = "text/markdown";

    public static RouteGroupBuilder MapWrittenPolicy(this IEndpointRouteBuilder app)
    {
        var policy = app.MapGroup("/api/policy").WithTags("Policy").ProducesAuthorisedProblems();
        // Everyone who can sign in may read the policy that governs them (ISO 27001 A 5.1: communicated to relevant personnel).
        policy.MapGet("/", GetAsync).RequireAuthorization(builder => builder.RequireAuthenticatedUser());
        policy.MapGet("/history", HistoryAsync).RequireAuthorization(AppRoles.Auditor);
        // 400 for a malformed version, 404 for an unknown one, 403 for its changer, 409 when another reviewer approved it.
        policy.MapPost("/{version}/approval", ApproveAsync).RequireAuthorization(AppRoles.Reviewer)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return policy;
    }

    private static async Task<Results<Ok<PolicyResponse>, ContentHttpResult>> GetAsync(
        HttpRequest request, PolicyVersions versions, CancellationToken cancellationToken)
    {
        var (policy, record) = await versions.RecordCurrentAsync(cancellationToken);
        var wantsMarkdown = request.GetTypedHeaders().Accept
            .Any(accept => accept.MediaType.Equals(MarkdownMediaType, StringComparison.OrdinalIgnoreCase));
        return wantsMarkdown
            ? TypedResults.Text(policy.Markdown, $"{MarkdownMediaType}; charset=utf-8")
            : TypedResults.Ok(new PolicyResponse(
                policy.Version, record.Status, policy.Markdown, record.FirstSeenAt, record.ChangedBy, record.ApprovedByName, record.ApprovedAt, policy.Content));
    }

    private static async Task<Ok<IReadOnlyList<PolicyHistoryItem>>> HistoryAsync(
        PolicyVersions versions, CurrentPolicy current, CancellationToken cancellationToken)
    {
        var inForce = current.Version;
        var history = await versions.HistoryAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<PolicyHistoryItem>>(history
            .Select(record => new PolicyHistoryItem(
                record.Version, record.Status, record.FirstSeenAt, record.ChangedBy, record.ApprovedByName, record.ApprovedAt,
                record.Version == inForce, record.Markdown))
            .ToList());
    }

    private static async Task<Ok<PolicyVersionView>> ApproveAsync(
        string version, ClaimsPrincipal caller, PolicyVersions versions, CancellationToken cancellationToken) =>
        TypedResults.Ok(await versions.ApproveAsync(caller, version, cancellationToken));
}
