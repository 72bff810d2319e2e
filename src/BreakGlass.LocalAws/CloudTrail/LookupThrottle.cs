namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>CloudTrail's LookupEvents limit: a few requests in any one-second span, per account and region.</summary>
internal sealed class LookupThrottle(LocalAwsOptions options, TimeProvider time)
{
    private readonly Dictionary<string, Queue<long>> _windows = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Admits and counts the request, or refuses it without counting it.</summary>
    public bool TryAdmit(string accountId, string region)
    {
        var now = time.GetTimestamp();
        var oneSecondAgo = now - time.TimestampFrequency;
        lock (_lock)
        {
            if (!_windows.TryGetValue($"{accountId}/{region}", out var window))
            {
                _windows[$"{accountId}/{region}"] = window = new Queue<long>();
            }
            while (window.Count > 0 && window.Peek() <= oneSecondAgo)
            {
                window.Dequeue();
            }
            if (window.Count >= options.LookupRequestsPerSecond)
            {
                return false;
            }
            window.Enqueue(now);
            return true;
        }
    }
}
