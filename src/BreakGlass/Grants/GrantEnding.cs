using System.Security.Claims;
using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.Revocation;
using Hangfire;

namespace BreakGlass.Grants;

/// <summary>Ends a grant early, for its requester or a reviewer (the API's revoke and the pages' End now).</summary>
internal sealed class GrantEnding(GrantViews views, RevocationService revocation, IBackgroundJobClient jobs, ILogger<GrantEnding> logger)
{
    /// <returns>The grant as it stands after the attempt.</returns>
    public async Task<Grant> EndAsync(ClaimsPrincipal caller, Guid id, RevokeGrantRequest request, CancellationToken cancellationToken)
    {
        var grant = await views.FindVisibleAsync(id, caller, cancellationToken);
        if (!grant.IsOwnedBy(caller.UserName()) && !caller.HasAppRole(AppRoles.Reviewer))
        {
            throw new NotFoundException($"No grant {id} of yours exists.");
        }
        await revocation.EndEarlyAsync(id, caller.UserName(), request.ValidReason(), cancellationToken);
        try
        {
            await revocation.RevokeAsync(id, cancellationToken);
        }
        // A timeout is an OperationCanceledException too: only the client hanging up is not a failed attempt.
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is not DomainException)
        {
            // The grant is already Revoking; the job and the sweeper finish the job even if AWS is failing right now.
            jobs.Enqueue<RevokeGrantJob>(job => job.RunAsync(id));
            GrantsLog.EarlyEndWillBeRetried(logger, id, failure.Message);
        }
        return await views.FindAsync(id, cancellationToken) ?? grant;
    }
}
