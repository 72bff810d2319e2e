namespace BreakGlass.Tickets;

/// <summary>
/// When a failed ticket action is tried again. Transient failures back off exponentially with jitter up to
/// <see cref="MaxDelay"/> and are retried for as long as it takes: a ticket must never be silently dropped.
/// </summary>
internal static class TicketRetrySchedule
{
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(15);

    /// <summary>A configuration problem (key, permissions, team, labels) is retried this slowly: an operator has to act.</summary>
    public static readonly TimeSpan ConfigurationProblemDelay = TimeSpan.FromMinutes(15);

    /// <summary>How long Linear is left alone after a rate limit that did not say when to come back.</summary>
    public static readonly TimeSpan RateLimitDefault = TimeSpan.FromMinutes(1);

    /// <summary>The delay after the <paramref name="attempts"/>-th failure; <paramref name="jitter"/> is uniform in [0, 1).</summary>
    public static TimeSpan AfterTransient(int attempts, double jitter)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var ceiling = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << exponent));
        // Between half and all of the ceiling: instances that failed together do not come back together.
        return ceiling * (0.5 + jitter / 2);
    }

    /// <summary>Linear's own <c>Retry-After</c> (or reset time) when it gave one, plus up to a second so waiting instances spread out.</summary>
    public static TimeSpan AfterRateLimit(TimeSpan? retryAfter, double jitter) =>
        (retryAfter ?? RateLimitDefault) + TimeSpan.FromSeconds(jitter);
}
