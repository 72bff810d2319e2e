namespace BreakGlass.Aws.CloudTrail;

/// <summary>
/// An in-process gate: a token bucket holding one token, refilled continuously, so permits are at least
/// 1/rate apart and waiters are served in arrival order.
/// </summary>
/// <remarks>
/// Not <c>System.Threading.RateLimiting.TokenBucketRateLimiter</c>: it refills on a fixed timer, so a request
/// just before a tick and one just after it pass almost together — a burst a sliding one-second limit refuses.
/// </remarks>
internal sealed class TokenBucketRequestRateGate : IRequestRateGate
{
    private readonly TimeProvider _time;
    private readonly long _interval;
    private readonly Lock _lock = new();
    private long _nextSlot;

    public TokenBucketRequestRateGate(double requestsPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        _time = time;
        _interval = (long)Math.Ceiling(time.TimestampFrequency / requestsPerSecond);
        _nextSlot = time.GetTimestamp();
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        long slot;
        lock (_lock)
        {
            slot = Math.Max(_nextSlot, _time.GetTimestamp());
            _nextSlot = slot + _interval;
        }
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), slot);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }
}
