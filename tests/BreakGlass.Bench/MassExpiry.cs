using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BreakGlass.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace BreakGlass.Bench;

/// <summary>
/// N grants on R roles, broken through the API as fast as the service takes them with windows of
/// <see cref="WindowMinutes"/> minutes, so they all end within about the same minute. For each grant: the time from
/// its <c>expiresAt</c> until its deny was written and read back from IAM (the <c>deny.verified</c> event in its own
/// chain); the IAM writes the front recorded; how long the per-role deny locks were held. Then the same again with a
/// second service instance on the same database.
/// </summary>
internal static partial class MassExpiry
{
    private const int WindowMinutes = 2;
    private const int CreatingInParallel = 8;

    public static async Task RunAsync(ManyRolesFixture fixture, int grants)
    {
        var instances = new List<BreakGlassProcess> { fixture.Service };
        await RunWaveAsync(fixture, grants, "1 instance");
        await ServiceFootprint.PrintAsync(fixture, instances, "mass expiry, 1 instance");
        instances.Add(await fixture.StartInstanceAsync());
        await RunWaveAsync(fixture, grants, "2 instances");
        await ServiceFootprint.PrintAsync(fixture, instances, "mass expiry, 2 instances");
    }

    private static async Task RunWaveAsync(ManyRolesFixture fixture, int grants, string setup)
    {
        var logMark = fixture.Log.Count;
        var writesBefore = fixture.CallCount("PutRolePolicy");
        var readsBefore = fixture.CallCount("GetRolePolicy");
        using var http = new HttpClient { BaseAddress = fixture.Service.BaseAddress, Timeout = Eventually.Patience };
        var ids = new Guid[grants];
        var errors = 0;
        var creating = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, grants), new ParallelOptions { MaxDegreeOfParallelism = CreatingInParallel }, async (index, _) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/grants")
            {
                Content = JsonContent.Create(new { role = fixture.BenchRoles[index % fixture.BenchRoles.Count], durationMinutes = WindowMinutes, reason = "mass expiry benchmark" }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.Idp.Requester(TestIdentityProvider.NewUser("mass")));
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                Interlocked.Increment(ref errors);
                return;
            }
            ids[index] = Guid.Parse((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        });
        var created = ids.Where(id => id != Guid.Empty).ToArray();
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        var (first, last) = await connection.QuerySingleAsync<(DateTimeOffset, DateTimeOffset)>(
            "SELECT min(expires_at), max(expires_at) FROM grants WHERE id = ANY(@created)", new { created });
        Console.WriteLine($"mass expiry, {setup}: {created.Length} grants on {fixture.BenchRoles.Count} roles created in {creating.Elapsed.TotalSeconds:F1} s " +
                          $"({errors} errors); windows end within {(last - first).TotalSeconds:F1} s; load average {ServiceFootprint.LoadAverage()}");

        var deadline = last + TimeSpan.FromMinutes(5);
        while (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM grants WHERE id = ANY(@created) AND status <> 'Revoked'", new { created }) > 0)
        {
            if (DateTimeOffset.UtcNow > deadline) throw new TimeoutException("not every grant was revoked within 5 minutes of the last window");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        var lags = (await connection.QueryAsync<double>(
            """
            SELECT extract(epoch FROM (SELECT min(a.occurred_at) FROM audit_events a WHERE a.grant_id = g.id AND a.event_type = 'deny.verified') - g.expires_at)::float8
            FROM grants g WHERE g.id = ANY(@created)
            """, new { created })).AsList();
        var waves = (await connection.QueryAsync<int>(
            "SELECT (data::jsonb ->> 'wave')::int FROM audit_events WHERE event_type = 'grant.revoked' AND grant_id = ANY(@created)", new { created })).AsList();
        var writes = fixture.CallCount("PutRolePolicy") - writesBefore;
        var reads = fixture.CallCount("GetRolePolicy") - readsBefore;
        Console.WriteLine($"  expiresAt → deny verified: p50 {Statistics.Percentile(lags, 50):F2} s, p99 {Statistics.Percentile(lags, 99):F2} s, " +
                          $"max {lags.Max():F2} s, min {lags.Min():F2} s (negative: the job started up to a second early)");
        Console.WriteLine($"  IAM: {writes} PutRolePolicy for {created.Length} grants ({(double)writes / created.Length:F3} per grant, " +
                          $"{(double)writes / fixture.BenchRoles.Count:F1} per role), {reads} GetRolePolicy (read-backs and the reconciler); " +
                          $"wave size as each grant saw it: median {Statistics.Percentile(waves.Select(size => (double)size).ToList(), 50):F0}, max {waves.Max()}");
        PrintLockHolds(fixture.Log.Skip(logMark).ToList());
    }

    [GeneratedRegex(@"Deny lock on (\S+) held ([0-9.]+) ms for (\d+) grant")]
    private static partial Regex LockHeld();

    private static void PrintLockHolds(IReadOnlyList<string> log)
    {
        var holds = log.Select(line => LockHeld().Match(line)).Where(match => match.Success)
            .Select(match => (Ms: double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), Grants: int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture)))
            .ToList();
        var writing = holds.Where(hold => hold.Grants > 0).Select(hold => hold.Ms).ToList();
        var idle = holds.Where(hold => hold.Grants == 0).Select(hold => hold.Ms).ToList();
        if (writing.Count > 0)
        {
            Console.WriteLine($"  role deny lock, holds that wrote: n={writing.Count} p50 {Statistics.Percentile(writing, 50):F1} ms, " +
                              $"p99 {Statistics.Percentile(writing, 99):F1} ms, max {writing.Max():F1} ms; summed {writing.Sum() / 1000:F1} s");
        }
        if (idle.Count > 0)
        {
            Console.WriteLine($"  role deny lock, holds that found their grant already revoked by a wave: n={idle.Count} p50 {Statistics.Percentile(idle, 50):F1} ms, " +
                              $"max {idle.Max():F1} ms");
        }
    }
}
