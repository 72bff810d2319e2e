using BreakGlass.Observability;
using Npgsql;

namespace BreakGlass.Grants;

/// <summary>Open grants, and grants whose revocation keeps failing.</summary>
internal sealed class GrantGauges : IGaugeSource
{
    private static readonly string[] RevocationFailed = [nameof(GrantStatus.RevocationFailed)];

    public async Task<IReadOnlyList<GaugeReading>> ReadAsync(NpgsqlConnection connection, DateTimeOffset now, CancellationToken cancellationToken) =>
    [
        new GaugeReading(Gauges.OpenGrants, await GrantStore.CountAsync(connection, GrantStore.OpenStatuses, cancellationToken)),
        new GaugeReading(Gauges.RevocationFailedGrants, await GrantStore.CountAsync(connection, RevocationFailed, cancellationToken)),
    ];
}
