using BreakGlass.Observability;
using Npgsql;

namespace BreakGlass.Notifications;

/// <summary>The notification outbox's backlog, as <c>outbox="notifications"</c>.</summary>
internal sealed class NotificationOutboxGauges : IGaugeSource
{
    public const string Outbox = "notifications";

    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken) =>
        OutboxGauges.Readings(Outbox, await NotificationOutbox.BacklogAsync(connection, cancellationToken), now);
}
