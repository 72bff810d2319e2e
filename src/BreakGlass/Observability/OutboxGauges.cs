namespace BreakGlass.Observability;

/// <summary>What an outbox has not delivered yet.</summary>
/// <param name="OldestCreatedAt">When the oldest undelivered row was written; null when nothing waits.</param>
internal sealed record OutboxBacklog(long Pending, DateTimeOffset? OldestCreatedAt);

/// <summary>
/// The backlog gauges every outbox reports under its own <c>outbox</c> label: an outbox's feature reads its
/// <see cref="OutboxBacklog"/> in its <see cref="IGaugeSource"/> and returns these readings.
/// </summary>
internal static class OutboxGauges
{
    public static IReadOnlyList<GaugeReading> Readings(string outbox, OutboxBacklog backlog, DateTimeOffset now)
    {
        var label = new KeyValuePair<string, object?>("outbox", outbox);
        var oldestAge = backlog.OldestCreatedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0;
        return [new GaugeReading(Gauges.OutboxBacklog, backlog.Pending, label), new GaugeReading(Gauges.OutboxOldestAge, oldestAge, label)];
    }
}
