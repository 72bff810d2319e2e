using BreakGlass.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Observability;

/// <summary>
/// Reads every <see cref="IGaugeSource"/> every <c>Metrics:GaugeRefreshSeconds</c> into <see cref="GaugeReadings"/>:
/// the database sees one small query per gauge per interval whatever the number of scrapers. A source that fails keeps
/// its previous readings until it answers again. Runs only when metrics are exported.
/// </summary>
internal sealed class GaugeRefresher(
    NpgsqlDataSource database,
    IEnumerable<IGaugeSource> sources,
    GaugeReadings readings,
    IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<GaugeRefresher> logger) : Sweeper(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.GaugeRefreshSeconds);

    protected override bool Traced => false;

    protected override bool IsEnabled => options.Value.Exported;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var source in sources)
        {
            try
            {
                readings.Publish(source, await source.ReadAsync(connection, Time.GetUtcNow(), cancellationToken));
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                ObservabilityLog.GaugeSourceFailed(Logger, source.GetType().Name, failure.Message);
            }
        }
    }
}
