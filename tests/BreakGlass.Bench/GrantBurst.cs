using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace BreakGlass.Bench;

/// <summary>
/// N engineers (distinct requesters, spread over several roles) break glass at the same instant, against N direct
/// <c>sts:AssumeRole</c> calls at the same instant through the same LocalAws front, round after round, interleaved so both
/// see the same machine. Then the same one at a time, which is the broker's own overhead without queueing. The database
/// cost of the grant rounds is read from PostgreSQL's own counters.
/// </summary>
internal static class GrantBurst
{
    private const int Roles = 5;

    public static async Task RunAsync(ManyRolesFixture fixture, int engineers, int rounds)
    {
        using var http = new HttpClient { BaseAddress = fixture.Service.BaseAddress, Timeout = Eventually.Patience };
        using var sts = new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.AwsEndpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var roleArns = Enumerable.Range(0, Roles).Select(index => fixture.Aws.RoleArns.First(arn => arn.EndsWith(fixture.BenchRoleName(index), StringComparison.Ordinal))).ToArray();

        // Warm-up: JIT, connection pools, the front's first signatures.
        await GrantRoundAsync(fixture, http, 10);
        await DirectRoundAsync(sts, roleArns, 10);

        var grantLatencies = new List<double>();
        var directLatencies = new List<double>();
        var errors = new List<string>();
        var database = await DatabaseCounters.ReadAsync(fixture);
        var measured = Stopwatch.StartNew();
        for (var round = 0; round < rounds; round++)
        {
            var (latencies, roundErrors) = await GrantRoundAsync(fixture, http, engineers);
            grantLatencies.AddRange(latencies);
            errors.AddRange(roundErrors);
            directLatencies.AddRange(await DirectRoundAsync(sts, roleArns, engineers));
        }
        var databaseCost = (await DatabaseCounters.ReadAsync(fixture)) - database;
        var grantSeconds = measured.Elapsed.TotalSeconds;
        var idle = await DatabaseCounters.IdleRateAsync(fixture, TimeSpan.FromSeconds(10));
        var granted = grantLatencies.Count;

        Console.WriteLine($"burst: {rounds} rounds x {engineers} engineers at once on {Roles} roles; load average {ServiceFootprint.LoadAverage()}");
        Report($"POST /api/grants x{engineers}", grantLatencies);
        Report($"AssumeRole x{engineers}", directLatencies);
        Console.WriteLine($"  errors: {errors.Count}{(errors.Count > 0 ? " — " + string.Join("; ", errors.Distinct().Take(5)) : "")}");
        Console.WriteLine($"  ratio: median {Statistics.Percentile(grantLatencies, 50) / Statistics.Percentile(directLatencies, 50):F2}x, " +
                          $"p99 {Statistics.Percentile(grantLatencies, 99) / Statistics.Percentile(directLatencies, 99):F2}x; " +
                          $"added median {Statistics.Percentile(grantLatencies, 50) - Statistics.Percentile(directLatencies, 50):F1} ms");
        // The pollers (Hangfire, sweepers) commit in the background too: their idle rate over the rounds' time is subtracted.
        Console.WriteLine($"  database per grant: {(databaseCost.Commits - idle.Commits * grantSeconds) / granted:F1} commits, " +
                          $"{(databaseCost.WalBytes - idle.WalBytes * grantSeconds) / granted / 1024:F1} KB of WAL, " +
                          $"{(databaseCost.TuplesWritten - idle.TuplesWritten * grantSeconds) / granted:F0} tuples written " +
                          $"(idle background: {idle.Commits:F1} commits/s)");

        var sequentialGrant = new List<double>();
        var sequentialDirect = new List<double>();
        for (var index = 0; index < 10 + engineers * 2; index++)
        {
            var (latencies, roundErrors) = await GrantRoundAsync(fixture, http, 1);
            var direct = await DirectRoundAsync(sts, roleArns, 1);
            if (index < 10 || roundErrors.Count > 0) continue;
            sequentialGrant.AddRange(latencies);
            sequentialDirect.AddRange(direct);
        }
        Console.WriteLine("one at a time, interleaved:");
        Report("POST /api/grants", sequentialGrant);
        Report("AssumeRole", sequentialDirect);
        Console.WriteLine($"  added median {Statistics.Percentile(sequentialGrant, 50) - Statistics.Percentile(sequentialDirect, 50):F1} ms, " +
                          $"ratio {Statistics.Percentile(sequentialGrant, 50) / Statistics.Percentile(sequentialDirect, 50):F2}x");
        await ServiceFootprint.PrintAsync(fixture, [fixture.Service], "the burst");
    }

    private static async Task<(List<double> Latencies, List<string> Errors)> GrantRoundAsync(ManyRolesFixture fixture, HttpClient http, int engineers)
    {
        var requests = Enumerable.Range(0, engineers).Select(index =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/grants")
            {
                Content = JsonContent.Create(new { role = fixture.BenchRoles[index % Roles], durationMinutes = 60, reason = "burst benchmark" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Idp.Requester(TestIdentityProvider.NewUser("burst")));
            return request;
        }).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outcomes = requests.Select(async request =>
        {
            await start.Task;
            var stopwatch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            var body = response.StatusCode == HttpStatusCode.Created ? null : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return (Ms: stopwatch.Elapsed.TotalMilliseconds, Error: body);
        }).ToList();
        start.SetResult();
        var results = await Task.WhenAll(outcomes);
        foreach (var request in requests) request.Dispose();
        return (results.Where(result => result.Error is null).Select(result => result.Ms).ToList(),
                results.Where(result => result.Error is not null).Select(result => result.Error!).ToList());
    }

    private static async Task<List<double>> DirectRoundAsync(AmazonSecurityTokenServiceClient sts, string[] roleArns, int callers)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, callers).Select(async index =>
        {
            await start.Task;
            var stopwatch = Stopwatch.StartNew();
            await sts.AssumeRoleAsync(new AssumeRoleRequest
            {
                RoleArn = roleArns[index % roleArns.Length],
                RoleSessionName = $"direct-{Guid.NewGuid():N}"[..32],
                DurationSeconds = 3600,
                SourceIdentity = $"direct-{index}",
                Tags = [new Tag { Key = "breakglass-grant", Value = Guid.NewGuid().ToString() }],
            });
            return stopwatch.Elapsed.TotalMilliseconds;
        }).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(calls)];
    }

    private static void Report(string name, IReadOnlyList<double> milliseconds) =>
        Console.WriteLine(milliseconds.Count == 0
            ? $"  {name,-26} no successful calls"
            : $"  {name,-26} n={milliseconds.Count} median {Statistics.Percentile(milliseconds, 50):F1} ms, " +
              $"p99 {Statistics.Percentile(milliseconds, 99):F1} ms, max {milliseconds.Max():F1} ms");

    /// <summary>PostgreSQL's cumulative counters for the fixture's database.</summary>
    private sealed record DatabaseCounters(double Commits, double WalBytes, double TuplesWritten)
    {
        public static async Task<DatabaseCounters> ReadAsync(BreakGlassFixture fixture)
        {
            await using var connection = new NpgsqlConnection(fixture.ConnectionString);
            // The statistics collector publishes a backend's counters when its transaction ends; force a fresh snapshot.
            await connection.ExecuteAsync("SELECT pg_stat_clear_snapshot()");
            return await connection.QuerySingleAsync<DatabaseCounters>(
                """
                SELECT xact_commit::float8 AS Commits,
                       pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS WalBytes,
                       (tup_inserted + tup_updated + tup_deleted)::float8 AS TuplesWritten
                FROM pg_stat_database WHERE datname = current_database()
                """);
        }

        /// <summary>The background's rate per second, measured while nothing is requested.</summary>
        public static async Task<DatabaseCounters> IdleRateAsync(BreakGlassFixture fixture, TimeSpan over)
        {
            var before = await ReadAsync(fixture);
            await Task.Delay(over);
            var used = (await ReadAsync(fixture)) - before;
            return new DatabaseCounters(used.Commits / over.TotalSeconds, used.WalBytes / over.TotalSeconds, used.TuplesWritten / over.TotalSeconds);
        }

        public static DatabaseCounters operator -(DatabaseCounters after, DatabaseCounters before) =>
            new(after.Commits - before.Commits, after.WalBytes - before.WalBytes, after.TuplesWritten - before.TuplesWritten);
    }
}
