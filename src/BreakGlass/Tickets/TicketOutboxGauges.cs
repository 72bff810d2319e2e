using BreakGlass.Observability;
using Npgsql;

namespace BreakGlass.Tickets;

/// <summary>The ticket outbox's backlog, as <c>outbox="tickets"</c>.</summary>
internal sealed class TicketOutboxGauges : IGaugeSource
{
    public const string Outbox = "tickets";

    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken) =>
        OutboxGauges.Readings(Outbox, await TicketOutbox.BacklogAsync(connection, cancellationToken), now);
}
