using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Bench;

/// <summary>
/// POST /api/grants against a direct sts:AssumeRole on the same moto endpoint, interleaved so both see the same
/// machine state. Both go through real sockets; BreakGlass adds its PostgreSQL transaction, audit chain, Hangfire job and STS call.
/// </summary>
internal static class GrantLatency
{
    public static async Task RunAsync(BreakGlassFixture fixture, int iterations, int warmup)
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("bench")));
        using var sts = fixture.StsAs(new BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey));
        var breakGlass = new List<double>();
        var direct = new List<double>();
        for (var index = 0; index < warmup + iterations; index++)
        {
            var stopwatch = Stopwatch.StartNew();
            var response = await client.BreakGlassAsync(BreakGlassFixture.AdminRole, minutes: 60);
            if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException(await response.Content.ReadAsStringAsync());
            var grantMs = stopwatch.Elapsed.TotalMilliseconds;

            stopwatch.Restart();
            await sts.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = fixture.Aws.RoleArns[0],
                RoleSessionName = $"bench-{index}",
                DurationSeconds = 3600,
                Tags = [new Tag { Key = "breakglass-grant", Value = Guid.NewGuid().ToString() }],
            });
            var directMs = stopwatch.Elapsed.TotalMilliseconds;
            if (index < warmup) continue;
            breakGlass.Add(grantMs);
            direct.Add(directMs);
        }
        Report("POST /api/grants", breakGlass);
        Report("direct AssumeRole", direct);
        Console.WriteLine($"ratio (BreakGlass / direct): median {Statistics.Percentile(breakGlass, 50) / Statistics.Percentile(direct, 50):F2}x, " +
                          $"p99 {Statistics.Percentile(breakGlass, 99) / Statistics.Percentile(direct, 99):F2}x; " +
                          $"added median {Statistics.Percentile(breakGlass, 50) - Statistics.Percentile(direct, 50):F1} ms");
    }

    private static void Report(string name, IReadOnlyList<double> milliseconds) =>
        Console.WriteLine($"{name,-20} n={milliseconds.Count} median {Statistics.Percentile(milliseconds, 50):F1} ms, " +
                          $"p99 {Statistics.Percentile(milliseconds, 99):F1} ms, max {milliseconds.Max():F1} ms");
}
