using BreakGlass.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.Audit;

internal static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(AppRoles.Auditor);
        audit.MapGet("/verify", VerifyAsync);
        return audit;
    }

    private static async Task<Ok<ChainVerification>> VerifyAsync(AuditChainVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyAsync(cancellationToken));
}
