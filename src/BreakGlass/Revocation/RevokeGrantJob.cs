using Hangfire;

namespace BreakGlass.Revocation;

/// <summary>The fast path: scheduled for the grant's expiry when the grant is committed.</summary>
internal sealed class RevokeGrantJob(RevocationService revocation)
{
    // Hangfire's default spreads ten tries over ~4.5 hours: far too slow for a live admin session.
    // The sweeper keeps retrying after these run out.
    [AutomaticRetry(Attempts = 8, DelaysInSeconds = [1, 2, 5, 10, 20, 30, 60, 120], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(Guid grantId) => revocation.RevokeAsync(grantId, CancellationToken.None);
}
