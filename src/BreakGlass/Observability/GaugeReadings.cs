using System.Diagnostics.Metrics;

namespace BreakGlass.Observability;

/// <summary>What the last refresh read, per source: a scrape only copies these, so it never reaches the database.</summary>
internal sealed class GaugeReadings
{
    private readonly Lock _publishing = new();
    private IReadOnlyDictionary<IGaugeSource, IReadOnlyList<GaugeReading>> _bySource = new Dictionary<IGaugeSource, IReadOnlyList<GaugeReading>>();

    /// <summary>Replaces <paramref name="source"/>'s readings; the other sources keep theirs.</summary>
    public void Publish(IGaugeSource source, IReadOnlyList<GaugeReading> readings)
    {
        lock (_publishing)
        {
            _bySource = new Dictionary<IGaugeSource, IReadOnlyList<GaugeReading>>(_bySource) { [source] = readings };
        }
    }

    public IEnumerable<Measurement<double>> Of(string gaugeName) =>
        Volatile.Read(ref _bySource).Values
            .SelectMany(readings => readings)
            .Where(reading => reading.Gauge.Name == gaugeName)
            .Select(reading => new Measurement<double>(reading.Value, reading.Labels))
            .ToList();
}
