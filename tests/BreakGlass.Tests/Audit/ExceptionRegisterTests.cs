using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Audit;

public sealed class ExceptionRegisterTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task TheRegisterFiltersByRequesterRoleAndStatusAndPages()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var requester = fixture.Client(fixture.Idp.Requester(engineer));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        var ids = new List<string>();
        for (var index = 0; index < 3; index++)
        {
            ids.Add((string)(await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created))["id"]!);
            // At most two grants per engineer and role are open at once (Policy:MaxOpenGrantsPerRequester).
            if (index == 0) await (await requester.RevokeAsync(ids[0])).ReadObjectAsync(HttpStatusCode.OK);
        }

        var mine = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}"))!;
        var revoked = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&status=revoked"))!;
        var firstPage = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&pageSize=2"))!;
        var secondPage = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&pageSize=2&page=2"))!;
        var otherRole = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&role={BreakGlassFixture.TicketRole}"))!;
        var undecided = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&decision=none"))!;

        Assert.Equal(3, (long)mine["total"]!);
        Assert.Equal(ids.AsEnumerable().Reverse(), mine["items"]!.AsArray().Select(item => (string?)item!["grant"]!["id"]));
        Assert.Equal([ids[0]], revoked["items"]!.AsArray().Select(item => (string?)item!["grant"]!["id"]));
        Assert.Equal(2, firstPage["items"]!.AsArray().Count);
        Assert.Single(secondPage["items"]!.AsArray());
        Assert.Equal(0, (long)otherRole["total"]!);
        Assert.Equal(3, (long)undecided["total"]!);
    }

    [Fact]
    public async Task TheRegisterFiltersByTime()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var requester = fixture.Client(fixture.Idp.Requester(engineer));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var between = DateTimeOffset.UtcNow.AddMilliseconds(50);
        await Task.Delay(100);
        await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var user = Uri.EscapeDataString(engineer);
        var stamp = Uri.EscapeDataString(between.ToString("O"));

        var before = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={user}&to={stamp}"))!;
        var after = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={user}&from={stamp}"))!;

        Assert.Equal(1, (long)before["total"]!);
        Assert.Equal(1, (long)after["total"]!);
    }

    [Fact]
    public async Task ACursorWalkGivesEveryGrantOnceInOrderWhileNewGrantsArrive()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var requester = fixture.Client(fixture.Idp.Requester(engineer));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        var ids = new List<string>();
        for (var index = 0; index < 5; index++) ids.Add(await ClosedGrantAsync(requester));
        var user = Uri.EscapeDataString(engineer);
        // Requester and status filters travel with the cursor: the walk stays inside them.
        var query = $"/api/audit/grants?requester={user}&status=revoked&pageSize=2";

        var walked = new List<string>();
        var pages = new List<JsonNode>();
        string? next = null;
        do
        {
            var page = (await auditor.GetAsync(next is null ? query : $"{query}&after={Uri.EscapeDataString(next)}")).ReadObjectAsync(HttpStatusCode.OK);
            pages.Add(await page);
            walked.AddRange(pages[^1]["items"]!.AsArray().Select(item => (string)item!["grant"]!["id"]!));
            next = (string?)pages[^1]["next"];
            // A grant that arrives mid-walk is newer than the walk's position: it neither repeats nor pushes out a grant.
            if (pages.Count == 1) ids.Add(await ClosedGrantAsync(requester));
        }
        while (next is not null);

        Assert.Equal(ids.Take(5).Reverse(), walked);
        Assert.Equal([1, null, null], pages.Select(page => (int?)page["page"]));
        Assert.Equal([5L, 6L, 6L], pages.Select(page => (long)page["total"]!));
        var fresh = JsonNode.Parse(await auditor.GetStringAsync(query))!;
        Assert.Equal(ids[5], (string?)fresh["items"]![0]!["grant"]!["id"]);
        // The cursor continues a page asked for by number, too.
        var second = JsonNode.Parse(await auditor.GetStringAsync($"{query}&page=2"))!;
        Assert.Equal(walked.Skip(1).Take(2), second["items"]!.AsArray().Select(item => (string?)item!["grant"]!["id"]));
    }

    [Fact]
    public async Task AnAlteredOrForeignCursorIsAClearProblem()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var requester = fixture.Client(fixture.Idp.Requester(engineer));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        await ClosedGrantAsync(requester);
        await ClosedGrantAsync(requester);
        var user = Uri.EscapeDataString(engineer);
        var next = (string)JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={user}&pageSize=1"))!["next"]!;
        var altered = next[..10] + (next[10] == 'A' ? 'B' : 'A') + next[11..];

        foreach (var query in new[]
                 {
                     $"requester={user}&after={altered}", $"requester={user}&after={next[..^4]}", $"requester={user}&after=not-a-cursor!",
                     $"requester={user}&role={BreakGlassFixture.AdminRole}&after={next}", $"after={next}", $"requester={user}&page=2&after={next}",
                 })
        {
            var response = await auditor.GetAsync($"/api/audit/grants?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var untouched = await auditor.GetAsync($"/api/audit/grants?requester={user}&pageSize=5&after={next}");
        Assert.Single((await untouched.ReadObjectAsync(HttpStatusCode.OK))["items"]!.AsArray());
    }

    private static async Task<string> ClosedGrantAsync(HttpClient requester)
    {
        var id = (string)(await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created))["id"]!;
        await (await requester.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        return id;
    }

    [Theory]
    [InlineData("status=bogus")]
    [InlineData("decision=maybe")]
    [InlineData("page=0")]
    [InlineData("pageSize=5000")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z")]
    [InlineData("from=yesterday")]
    public async Task BadFiltersAreClearProblems(string query)
    {
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        var response = await auditor.GetAsync($"/api/audit/grants?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HostileReasonsAreEscapedInTheCsv()
    {
        const string hostile = "=HYPERLINK(\"http://evil.example\",\"click\"), then \"quotes\"\nand a second line";
        var engineer = TestIdentityProvider.NewUser();
        using var requester = fixture.Client(fixture.Idp.Requester(engineer));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole, reason: hostile)).ReadObjectAsync(HttpStatusCode.Created);
        await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole, reason: "+1 for the plus, -1 for the minus, @here")).ReadObjectAsync(HttpStatusCode.Created);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        var response = await auditor.SendAsync(request);
        var csv = await response.Content.ReadAsStringAsync();
        var viaQuery = await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&format=csv");

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(csv, viaQuery);
        var rows = RfcCsv.Parse(csv);
        Assert.Equal(3, rows.Count);
        Assert.Equal("reason", rows[0][5]);
        var reasons = rows.Skip(1).Select(row => row[5]).ToList();
        // A leading quote makes spreadsheets show the text instead of running it; the rest of the cell survives intact.
        Assert.Contains("'" + hostile, reasons);
        Assert.Contains("'+1 for the plus, -1 for the minus, @here", reasons);
        Assert.All(rows, row => Assert.Equal(rows[0].Count, row.Count));
    }
}
