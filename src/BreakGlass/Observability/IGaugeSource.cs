using Npgsql;

namespace BreakGlass.Observability;

/// <summary>One value of a gauge, with its labels.</summary>
internal sealed record GaugeReading(GaugeDefinition Gauge, double Value, params KeyValuePair<string, object?>[] Labels);

/// <summary>
/// A feature's gauges, read from its own tables (the feature owns that SQL). <see cref="GaugeRefresher"/> calls every
/// registered source on one timer, never per scrape; register one with <c>services.AddGaugeSource&lt;T&gt;()</c>.
/// </summary>
internal interface IGaugeSource
{
    Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken);
}
