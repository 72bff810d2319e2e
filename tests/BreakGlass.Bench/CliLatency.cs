using System.Diagnostics;
using BreakGlass.Tests.Cli;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Bench;

/// <summary>
/// The engineer's path through the built CLI and the real AWS CLI, interleaved with the same AWS CLI call on static
/// keys (the broker user's, straight from the environment) so both see the same machine state:
/// <c>breakglass request</c> until the first <c>aws sts get-caller-identity --profile breakglass-ROLE</c> succeeded,
/// and a warm call through the profile (credential_process served from the cache).
/// </summary>
internal static class CliLatency
{
    private const string Reason = "Benchmark: from breaking glass to the first AWS call";

    public static async Task RunAsync(BreakGlassFixture fixture, int iterations, int warmup)
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint, fixture.Idp.Requester(TestIdentityProvider.NewUser("bench")));
        var url = fixture.Service.BaseAddress.ToString();
        var profile = $"breakglass-{BreakGlassFixture.AdminRole}";
        var staticKeys = new Dictionary<string, string?>(engineer.Variables)
        {
            ["AWS_ACCESS_KEY_ID"] = fixture.Aws.BrokerAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = fixture.Aws.BrokerSecretAccessKey,
            ["AWS_DEFAULT_REGION"] = "us-east-1",
        };
        var baseline = new List<double>();
        var requestToFirstCall = new List<double>();
        var warmCall = new List<double>();
        var warmCredentialProcess = new List<double>();
        for (var index = 0; index < warmup + iterations; index++)
        {
            var direct = await TimeAsync(() => ChildProcess.ExecuteAsync("aws", ["sts", "get-caller-identity"], staticKeys));
            var first = await TimeAsync(
                () => engineer.BreakGlassAsync("request", BreakGlassFixture.AdminRole, "--for", "1h", "--reason", Reason, "--url", url),
                () => engineer.AwsAsync("sts", "get-caller-identity", "--profile", profile));
            var warm = await TimeAsync(() => engineer.AwsAsync("sts", "get-caller-identity", "--profile", profile));
            var process = await TimeAsync(() => engineer.BreakGlassAsync("credentials", "--role", BreakGlassFixture.AdminRole, "--url", url));
            if (index < warmup) continue;
            baseline.Add(direct);
            requestToFirstCall.Add(first);
            warmCall.Add(warm);
            warmCredentialProcess.Add(process);
        }
        Report("aws sts get-caller-identity, static keys (baseline)", baseline);
        Report("breakglass request -> first aws call via profile", requestToFirstCall);
        Report("aws call via profile, warm cache", warmCall);
        Report("breakglass credentials, warm cache", warmCredentialProcess);
        Console.WriteLine($"ratio request->first call / baseline: median {Ratio(requestToFirstCall, baseline, 50):F2}x, p95 {Ratio(requestToFirstCall, baseline, 95):F2}x");
        Console.WriteLine($"ratio warm profile call / baseline:   median {Ratio(warmCall, baseline, 50):F2}x, p95 {Ratio(warmCall, baseline, 95):F2}x; " +
                          $"added median {Statistics.Percentile(warmCall, 50) - Statistics.Percentile(baseline, 50):F0} ms");
    }

    /// <summary>Wall time of the steps run one after the other; any failure stops the benchmark.</summary>
    private static async Task<double> TimeAsync(params Func<Task<ChildProcessResult>>[] steps)
    {
        var stopwatch = Stopwatch.StartNew();
        foreach (var step in steps)
        {
            var result = await step();
            if (result.ExitCode != 0) throw new InvalidOperationException(result.ToString());
        }
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static double Ratio(IReadOnlyList<double> measured, IReadOnlyList<double> baseline, double percentile) =>
        Statistics.Percentile(measured, percentile) / Statistics.Percentile(baseline, percentile);

    private static void Report(string name, IReadOnlyList<double> milliseconds) =>
        Console.WriteLine($"{name,-52} n={milliseconds.Count} median {Statistics.Percentile(milliseconds, 50):F0} ms, " +
                          $"p95 {Statistics.Percentile(milliseconds, 95):F0} ms, max {milliseconds.Max():F0} ms");
}
