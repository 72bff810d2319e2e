using BreakGlass.Observability;
using Npgsql;

namespace BreakGlass.Preflight;

/// <summary>How many roles failed the last preflight (0 when it passed, or none ran yet).</summary>
internal sealed class PreflightGauges : IGaugeSource
{
    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken) =>
        [new GaugeReading(Gauges.PreflightFailing, (await LastPreflight.ReadAsync(connection, cancellationToken))?.Failures.Count ?? 0)];
}
