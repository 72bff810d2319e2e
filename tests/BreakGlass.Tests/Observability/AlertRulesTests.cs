using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using BreakGlass.Observability;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Observability;

/// <summary>deploy/observability: the alert rules, their unit tests, and the dashboard, against what the service exports.</summary>
public sealed partial class AlertRulesTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, "deploy", "observability");

    [Fact]
    public async Task TheAlertRulesAreValidAndPassTheirUnitTests()
    {
        var promtool = Promtool();

        var checkedRules = await ChildProcess.RunAsync(promtool, ["check", "rules", Path.Combine(Folder, "alerts.yml")]);
        var tested = await ChildProcess.RunAsync(promtool, ["test", "rules", Path.Combine(Folder, "alerts.test.yml")]);

        Assert.Contains("SUCCESS", checkedRules);
        Assert.Contains("SUCCESS", tested);
    }

    [Fact]
    public void EveryMetricTheRulesTheDashboardAndTheDocsNameIsOneTheServiceExports()
    {
        var exported = ExportedNames();
        string[] files =
        [
            Path.Combine(Folder, "alerts.yml"), Path.Combine(Folder, "alerts.test.yml"), Path.Combine(Folder, "grafana-dashboard.json"),
            Path.Combine(Repository.Root, "docs", "observability.md"),
        ];

        var used = files.ToDictionary(file => Path.GetFileName(file), file => MetricName().Matches(File.ReadAllText(file)).Select(match => match.Value).ToHashSet());

        foreach (var (file, names) in used)
        {
            Assert.NotEmpty(names);
            Assert.All(names, name => Assert.True(exported.Contains(name), $"{file} names {name}, which the service does not export"));
        }
        // And the issue's names are among them, exactly.
        string[] contract =
        [
            "breakglass_grants_issued_total", "breakglass_grants_refused_total", "breakglass_open_grants", "breakglass_revocation_lag_seconds_bucket",
            "breakglass_revocation_failures_total", "breakglass_deny_drift_total", "breakglass_outbox_oldest_age_seconds", "breakglass_reviews_overdue",
        ];
        Assert.All(contract, name => Assert.Contains(name, exported));
    }

    /// <summary>
    /// The Prometheus names of every instrument of the BreakGlass meter, as the exporter writes them: dots as
    /// underscores, the unit <c>s</c> as <c>_seconds</c>, <c>_total</c> on counters, a histogram's family name and its three series.
    /// (The metrics tests scrape the real exporter for the names of each kind.)
    /// </summary>
    private static HashSet<string> ExportedNames()
    {
        BreakGlassMetrics.ObserveGauges(new GaugeReadings());
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name != BreakGlassMetrics.MeterName) return;
                var name = instrument.Name.Replace('.', '_') + (instrument.Unit == "s" ? "_seconds" : "");
                string[] series = instrument switch
                {
                    Counter<long> => [name + "_total"],
                    Histogram<double> => [name, name + "_bucket", name + "_sum", name + "_count"],
                    _ => [name],
                };
                names.UnionWith(series);
            },
        };
        listener.Start();
        return names;
    }

    private static string Promtool() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(directory => Path.Combine(directory, "promtool"))
        .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "promtool is not installed: it ships in Debian's prometheus package (apt-get install prometheus), which .ci/run installs. The alert rules cannot be checked without it.");

    [GeneratedRegex(@"\bbreakglass_[a-z0-9_]+")]
    private static partial Regex MetricName();
}
