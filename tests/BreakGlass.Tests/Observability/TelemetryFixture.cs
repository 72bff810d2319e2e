using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Observability;

/// <summary>
/// The service as an operator with a collector runs it: traces and metrics exported by OTLP to <see cref="Collector"/>,
/// JSON console logs with scopes, and <c>/metrics</c> opened to anonymous scrapers (<c>Metrics:PrometheusAnonymous</c>).
/// </summary>
public sealed class TelemetryFixture : BreakGlassFixture
{
    internal OtlpReceiver Collector { get; } = new();

    public TelemetryFixture()
    {
        Overrides["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint.ToString();
        Overrides["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        // Spans leave within a fraction of a second instead of every 5 s.
        Overrides["OTEL_BSP_SCHEDULE_DELAY"] = "200";
        Overrides["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        Overrides["Metrics__Prometheus"] = "true";
        Overrides["Metrics__PrometheusAnonymous"] = "true";
        Overrides["Logging__Console__FormatterName"] = "json";
        Overrides["Logging__Console__FormatterOptions__IncludeScopes"] = "true";
    }

    private protected override Task BeforeServiceStartsAsync() => Collector.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Collector.DisposeAsync();
    }
}
