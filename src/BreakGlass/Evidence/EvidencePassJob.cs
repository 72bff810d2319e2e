using Hangfire;

namespace BreakGlass.Evidence;

/// <summary>The fast path: scheduled for each pass's due time when the grant is revoked.</summary>
internal sealed class EvidencePassJob(EvidenceCollector collector)
{
    // A few quick retries ride out a short AWS or database hiccup; past them the sweeper retries with backoff.
    [AutomaticRetry(Attempts = 4, DelaysInSeconds = [10, 30, 60, 120], OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public Task RunAsync(Guid grantId, EvidencePass pass) => collector.RunPendingAsync(grantId, pass, CancellationToken.None);
}
