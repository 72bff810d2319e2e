using System.Threading.RateLimiting;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>An in-process gate: one token every 1/rate seconds, no burst, waiters served in order.</summary>
internal sealed class TokenBucketRequestRateGate : IRequestRateGate, IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;

    public TokenBucketRequestRateGate(double requestsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        // A bucket of one token: a burst of two averages the allowed rate yet puts three
        // requests inside some one-second span, which a strict limiter throttles.
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / requestsPerSecond),
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("the request rate gate refused a permit");
        }
    }

    public void Dispose() => _limiter.Dispose();
}
