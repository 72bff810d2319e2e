using BreakGlass.Audit;
using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BreakGlass.Reports;

internal static class AuditApi
{
    public static RouteGroupBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(AppRoles.Auditor).ProducesAuthorisedProblems();
        audit.MapGet("/grants", RegisterAsync).ProducesProblems(StatusCodes.Status400BadRequest);
        audit.MapGet("/grants/{id:guid}", ChainAsync).ProducesProblems(StatusCodes.Status404NotFound);
        audit.MapGet("/grants/{id:guid}/export", ExportAsync).ProducesProblems(StatusCodes.Status404NotFound);
        audit.MapGet("/verify", VerifyAsync);
        return audit;
    }

    private static async Task<Results<Ok<RegisterPage>, ContentHttpResult>> RegisterAsync(
        HttpRequest request,
        ExceptionRegister register,
        CancellationToken cancellationToken,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        string? requester = null,
        string? role = null,
        string? status = null,
        string? decision = null,
        string? format = null,
        int page = 1,
        int pageSize = 100,
        string? after = null)
    {
        var result = await register.QueryAsync(RegisterFilter.Parse(from, to, requester, role, status, decision, page, pageSize, after), cancellationToken);
        var wantsCsv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
                       || request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase));
        return wantsCsv
            ? TypedResults.Text(ExceptionRegister.ToCsv(result), "text/csv; charset=utf-8")
            : TypedResults.Ok(result);
    }

    private static async Task<Ok<GrantChain>> ChainAsync(Guid id, GrantChains chains, CancellationToken cancellationToken) =>
        TypedResults.Ok((await chains.LoadAsync(id, cancellationToken)).Chain);

    private static async Task<FileContentHttpResult> ExportAsync(Guid id, GrantChains chains, CancellationToken cancellationToken)
    {
        var pack = await chains.ExportAsync(id, cancellationToken);
        return TypedResults.File(pack.Content, "application/zip", pack.FileName);
    }

    /// <param name="sequence">With <paramref name="hash"/>: a chain head kept earlier, checked against the chain as it is now.</param>
    private static async Task<Ok<ChainVerification>> VerifyAsync(
        AuditChainVerifier verifier, CancellationToken cancellationToken, long? sequence = null, string? hash = null)
    {
        if ((sequence is null) != (hash is null)) throw new InvalidRequestException("Give both 'sequence' and 'hash' of the chain head you kept, or neither.");
        if (sequence is < 1) throw new InvalidRequestException("'sequence' starts at 1.");
        if (hash is not null && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
        {
            throw new InvalidRequestException("'hash' must be the 64 hex digits of the kept head's hash.");
        }
        var kept = sequence is { } keptSequence ? new ChainHead(keptSequence, hash!.ToLowerInvariant()) : null;
        return TypedResults.Ok(await verifier.VerifyAsync(kept, cancellationToken));
    }
}
