using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Observability;

internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serves the Prometheus scrape endpoint <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// Lets anyone who reaches the port scrape <c>/metrics</c>. Off by default: a scrape then needs a reviewer's or
    /// auditor's bearer token (the counts tell who broke glass into what, how often).
    /// </summary>
    public bool PrometheusAnonymous { get; set; }

    /// <summary>How often the gauges read the database (open grants, outboxes, reviews, preflight).</summary>
    [Range(1, 3600)]
    public int GaugeRefreshSeconds { get; set; } = 15;

    /// <summary>True when anything exports the metrics: the Prometheus endpoint, or OTLP.</summary>
    internal bool Exported { get; set; }
}
