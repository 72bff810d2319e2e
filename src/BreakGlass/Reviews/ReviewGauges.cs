using BreakGlass.Observability;
using Npgsql;

namespace BreakGlass.Reviews;

/// <summary>The review backlog: pending and overdue reviews.</summary>
internal sealed class ReviewGauges(ReviewQueue queue) : IGaugeSource
{
    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken) =>
    [
        new GaugeReading(Gauges.ReviewsPending, await queue.CountAsync(connection, ReviewQueueStatus.Pending, cancellationToken)),
        new GaugeReading(Gauges.ReviewsOverdue, await queue.CountAsync(connection, ReviewQueueStatus.Overdue, cancellationToken)),
    ];
}
