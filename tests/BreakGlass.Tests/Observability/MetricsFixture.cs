using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Observability;

/// <summary>The service with its Prometheus endpoint on, as configured by default: a reviewer's or auditor's token is needed.</summary>
public sealed class MetricsFixture : BreakGlassFixture
{
    public MetricsFixture()
    {
        Overrides["Metrics__Prometheus"] = "true";
        // The gauges follow the database within a second instead of the default 15.
        Overrides["Metrics__GaugeRefreshSeconds"] = "1";
    }
}
