namespace BreakGlass.Notifications;

/// <summary>When a failed delivery is tried again: what the channel asked for, else a doubling backoff.</summary>
internal static class NotificationRetry
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Longest = TimeSpan.FromMinutes(15);

    /// <param name="attempts">Attempts made so far, this one included.</param>
    public static DateTimeOffset NextAttemptAt(DateTimeOffset now, int attempts, TimeSpan? retryAfter)
    {
        if (retryAfter is { } asked && asked > TimeSpan.Zero) return now + (asked < TimeSpan.FromHours(1) ? asked : TimeSpan.FromHours(1));
        var doublings = Math.Clamp(attempts - 1, 0, 16);
        var backoff = First * Math.Pow(2, doublings);
        return now + (backoff < Longest ? backoff : Longest);
    }
}
