using BreakGlass.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace BreakGlass.Observability;

internal static class ObservabilitySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>The standard OpenTelemetry variable: OTLP export of traces and metrics happens only when it is set.</summary>
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var metrics = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        services.AddOptions<MetricsOptions>().Bind(configuration.GetSection(MetricsOptions.Section))
            .PostConfigure(options => options.Exported = options.Prometheus || otlp)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(_ =>
        {
            var readings = new GaugeReadings();
            BreakGlassMetrics.ObserveGauges(readings);
            return readings;
        });
        services.AddHostedService<GaugeRefresher>();
        services.AddSingleton<JobTelemetryFilter>();

        if (!otlp && !metrics.Prometheus) return services;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "breakglass"))
            .WithMetrics(meters =>
            {
                meters.AddMeter(BreakGlassMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (metrics.Prometheus) meters.AddPrometheusExporter();
            });
        if (otlp)
        {
            // Traces go nowhere but OTLP: without it no span is recorded at all.
            telemetry.WithTracing(tracing => tracing
                .AddSource(Telemetry.SourceName)
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql());
            telemetry.UseOtlpExporter();
        }
        return services;
    }

    /// <summary>Adds a feature's gauges (see <see cref="IGaugeSource"/>).</summary>
    public static IServiceCollection AddGaugeSource<TSource>(this IServiceCollection services) where TSource : class, IGaugeSource
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGaugeSource, TSource>());
        return services;
    }

    /// <summary>
    /// <c>/metrics</c> when <c>Metrics:Prometheus</c> is on: for a reviewer's or auditor's token unless
    /// <c>Metrics:PrometheusAnonymous</c> opens it to whoever reaches the port.
    /// </summary>
    public static void MapMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Prometheus) return;
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (options.PrometheusAnonymous) endpoint.AllowAnonymous();
        else endpoint.RequireAuthorization(AuthSetup.EvidenceReaders);
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(MetricsPath);
}
