using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.Reports;
using BreakGlass.Reviews;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace BreakGlass.Bench;

/// <summary>The service on a database seeded with a year of grants (<see cref="RegisterSeed"/>) before it starts.</summary>
internal sealed class RegisterFixture(int grants, int writers) : BreakGlassFixture
{
    private protected override Task BeforeServiceStartsAsync() =>
        RegisterSeed.SeedAsync(ConnectionString, AwsEndpoint,
            [(AdminRole, RoleArnOf(AdminRole)), (TicketRole, RoleArnOf(TicketRole)), .. Enumerable.Range(0, 12).Select(index => ($"dedicated-{index}", RoleArnOf($"dedicated-{index}")))],
            grants, writers);
}

/// <summary>
/// The exception register, the review queue and one grant's chain over real HTTP at a large register: p95 per page
/// (first, deep, filtered; by page number and by cursor), the chain verification, and the footprint per grant.
/// </summary>
internal static class RegisterLatency
{
    private const int Repeats = 20;

    public static async Task RunAsync(RegisterFixture fixture, int grants)
    {
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("bench-auditor")));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("bench-reviewer")));
        // On a shared machine the run queue decides latency as much as the plans do: say how long it was.
        Console.WriteLine($"load average before: {ServiceFootprint.LoadAverage()}");
        var lastPage = (grants + 99) / 100;
        var month = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-200).ToString("O"));
        var monthEnd = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-170).ToString("O"));
        Console.WriteLine("-- exception register, by page number (pageSize=100)");
        foreach (var query in new[]
                 {
                     "", "page=10", $"page={lastPage / 2}", $"page={lastPage}",
                     "role=dedicated-3", $"role=dedicated-3&page={lastPage / 14}",
                     "status=Flagged", "decision=flagged", "decision=approved", $"decision=approved&page={lastPage * 8 / 10}", "decision=none",
                     $"requester={RegisterSeed.Requester(42)}", $"from={month}&to={monthEnd}",
                 })
        {
            await MeasureAsync(auditor, $"/api/audit/grants?pageSize=100&{query}", $"register {(query == "" ? "first page" : query)}");
        }

        Console.WriteLine("-- exception register, by cursor (every page, pageSize=100)");
        await WalkAsync(auditor, "/api/audit/grants?pageSize=100", "register, all pages by cursor");
        await WalkAsync(auditor, "/api/audit/grants?pageSize=100&role=dedicated-3", "register role=dedicated-3, all pages by cursor");
        await WalkAsync(auditor, "/api/audit/grants?pageSize=100&decision=approved", "register decision=approved, all pages by cursor");

        Console.WriteLine("-- review queue (limit=100)");
        foreach (var status in new[] { "pending", "overdue", "done" })
        {
            await MeasureAsync(reviewer, $"/api/reviews?status={status}&limit=100", $"review queue {status}");
        }

        Console.WriteLine("-- one grant's chain");
        var ids = await SampleGrantIdsAsync(auditor, lastPage);
        var chain = new List<double>();
        foreach (var id in ids) chain.Add(await TimeAsync(auditor, $"/api/audit/grants/{id}"));
        Report($"GET /api/audit/grants/{{id}}, {ids.Count} grants", chain);

        Console.WriteLine($"load average after: {ServiceFootprint.LoadAverage()}");
        await ExplainAsync(fixture, grants);
        await ServiceFootprint.PrintAsync(fixture, [fixture.Service], "the register benchmark");
        await VerifyAsync(fixture);
    }

    /// <summary>Last, as it reads the whole chain: on a loaded machine it may take minutes.</summary>
    private static async Task VerifyAsync(RegisterFixture fixture)
    {
        Console.WriteLine("-- audit chain verification");
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("bench-auditor")));
        auditor.Timeout = TimeSpan.FromMinutes(15);
        for (var run = 0; run < 2; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            var verification = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!;
            if (!(bool)verification["ok"]!) throw new InvalidOperationException($"the seeded chain does not verify: {verification}");
            Console.WriteLine($"GET /api/audit/verify: {(long)verification["checked"]!:N0} events in {stopwatch.Elapsed.TotalSeconds:F2} s (load average {ServiceFootprint.LoadAverage()})");
        }
    }

    /// <summary>The plan of each query the pages above ran, with the same SQL (from the classes that run it) and values.</summary>
    private static async Task ExplainAsync(RegisterFixture fixture, int grants)
    {
        Console.WriteLine("-- plans: EXPLAIN (ANALYZE, BUFFERS)");
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        const string position = "SELECT requested_at, id FROM grants g {0} ORDER BY requested_at DESC, id DESC OFFSET @offset LIMIT 1";
        var deep = await connection.QuerySingleAsync<(DateTimeOffset RequestedAt, Guid Id)>(string.Format(null, position, ""), new { offset = grants - 150 });
        var deepRole = await connection.QuerySingleAsync<(DateTimeOffset RequestedAt, Guid Id)>(
            string.Format(null, position, "WHERE lower(role_name) = 'dedicated-3'"), new { offset = grants / 14 - 150 });
        var all = new RegisterFilter(null, null, null, null, null, null, 1, 100);
        foreach (var (name, filter) in new[]
                 {
                     ("register, first page", all),
                     ("register, last page by number", all with { Page = (grants + 99) / 100 }),
                     ("register, last pages by cursor", all with { After = new RegisterPosition(deep.RequestedAt, deep.Id) }),
                     ("register role=dedicated-3, last pages by cursor", all with { Role = "dedicated-3", After = new RegisterPosition(deepRole.RequestedAt, deepRole.Id) }),
                     ("register decision=approved, first page", all with { Decision = "approved" }),
                     ("register decision=flagged, first page", all with { Decision = "flagged" }),
                     ("register requester=engineer-042", all with { Requester = RegisterSeed.Requester(42) }),
                 })
        {
            var (count, page, parameters) = ExceptionRegister.Queries(filter);
            await PlanAsync(connection, $"{name}: total", count, parameters);
            await PlanAsync(connection, $"{name}: page", page, parameters);
        }
        foreach (var status in Enum.GetValues<ReviewQueueStatus>())
        {
            var (sql, parameters) = ReviewQueue.Query(status, 100, DateTimeOffset.UtcNow, new ReviewOptions());
            await PlanAsync(connection, $"review queue {status}", sql, parameters);
        }
        await PlanAsync(connection, "one grant's audit events", GrantChains.EventsSql, new { grantId = deep.Id });
    }

    private static async Task PlanAsync(NpgsqlConnection connection, string name, string sql, object parameters)
    {
        Console.WriteLine($"### {name}");
        foreach (var line in await connection.QueryAsync<string>($"EXPLAIN (ANALYZE, BUFFERS) {sql}", parameters)) Console.WriteLine(line);
    }

    private static async Task MeasureAsync(HttpClient client, string path, string name)
    {
        for (var warmup = 0; warmup < 2; warmup++) await TimeAsync(client, path);
        var times = new List<double>();
        for (var index = 0; index < Repeats; index++) times.Add(await TimeAsync(client, path));
        var page = JsonNode.Parse(await client.GetStringAsync(path))!;
        var items = page is JsonArray array ? array.Count : page["items"]!.AsArray().Count;
        Report($"{name} ({items} items{(page is JsonObject ? $" of {(long)page["total"]!:N0}" : "")})", times);
    }

    /// <summary>Every page by its <c>next</c> cursor, each page timed; checks that no grant comes twice.</summary>
    private static async Task WalkAsync(HttpClient client, string path, string name)
    {
        var times = new List<double>();
        var seen = new HashSet<string>();
        long total = 0;
        string? next = null;
        do
        {
            var stopwatch = Stopwatch.StartNew();
            var response = await client.GetAsync(next is null ? path : $"{path}&after={Uri.EscapeDataString(next)}");
            var page = await response.ReadObjectAsync(HttpStatusCode.OK);
            times.Add(stopwatch.Elapsed.TotalMilliseconds);
            if (!page.ContainsKey("next"))
            {
                Console.WriteLine($"{name}: this build pages by number only");
                return;
            }
            total = (long)page["total"]!;
            foreach (var item in page["items"]!.AsArray())
            {
                if (!seen.Add((string)item!["grant"]!["id"]!)) throw new InvalidOperationException("a grant came twice");
            }
            next = (string?)page["next"];
        }
        while (next is not null);
        if (seen.Count != total) throw new InvalidOperationException($"walked {seen.Count} grants of {total}");
        Report($"{name} ({times.Count} pages, {seen.Count:N0} grants)", times);
    }

    private static async Task<List<string>> SampleGrantIdsAsync(HttpClient client, int lastPage)
    {
        var random = new Random(15);
        var ids = new List<string>();
        for (var index = 0; index < 10; index++)
        {
            var page = JsonNode.Parse(await client.GetStringAsync($"/api/audit/grants?pageSize=100&page={random.Next(1, lastPage + 1)}"))!;
            ids.AddRange(page["items"]!.AsArray().Take(10).Select(item => (string)item!["grant"]!["id"]!));
        }
        return ids;
    }

    private static async Task<double> TimeAsync(HttpClient client, string path)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await client.GetAsync(path);
        await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return stopwatch.Elapsed.TotalMilliseconds;
    }

    private static void Report(string name, IReadOnlyList<double> milliseconds) =>
        Console.WriteLine($"{name,-72} n={milliseconds.Count} median {Statistics.Percentile(milliseconds, 50),6:F1} ms, " +
                          $"p95 {Statistics.Percentile(milliseconds, 95),6:F1} ms, max {milliseconds.Max(),6:F1} ms");
}
