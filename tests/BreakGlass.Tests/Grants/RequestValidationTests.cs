using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Infrastructure;
using Npgsql;

namespace BreakGlass.Tests.Grants;

public sealed class RequestValidationTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"role":"prod-admin","durationMinutes":0,"reason":"database is on fire"}""", "durationMinutes" },
        { """{"role":"prod-admin","durationMinutes":241,"reason":"database is on fire"}""", "at most 240 minutes" },
        { """{"role":"prod-admin","durationMinutes":30,"reason":"short"}""", "reason" },
        { """{"role":"prod-admin","durationMinutes":30}""", "reason" },
        { """{"role":"nope","durationMinutes":30,"reason":"database is on fire"}""", "no break-glass role named 'nope'" },
        { """{"role":"prod-billing","durationMinutes":30,"reason":"database is on fire"}""", "requires a ticket" },
        { """{"role":"prod-admin","durationMinutes":"thirty","reason":"database is on fire"}""", "" },
        { """{"role":"prod-admin",""", "" },
        { "not json at all", "" },
        { "[]", "" },
        { """{"role":"prod-admin","durationMinutes":30,"reason":"database is on fire\u0000; DROP"}""", "NUL" },
        { """{"role":"prod-\u0000admin","durationMinutes":30,"reason":"database is on fire"}""", "NUL" },
        { """{"role":"prod-admin","durationMinutes":30,"reason":"database is on fire","ticket":"OPS-1\u0000"}""", "NUL" },
        { """{"role":"prod-admin","durationMinutes":30,"reason":"database is on fire \ud800 lone surrogate"}""", "$.reason" },
        { """{"role":7,"durationMinutes":30,"reason":"database is on fire"}""", "$.role" },
        { """{"role":"prod-admin","durationMinutes":1e400,"reason":"database is on fire"}""", "$.durationMinutes" },
        { """{"role":"prod-admin","durationMinutes":2147483648,"reason":"database is on fire"}""", "$.durationMinutes" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadInputIsAClearProblemAndWritesNothing(string body, string expectedDetail)
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));

        var response = await client.PostAsync("/api/grants", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(expectedDetail, problem.ToJsonString().Replace("\\u0027", "'"));
        Assert.NotNull(problem["traceId"]);
        Assert.Equal(0, await Database.GrantCountAsync(fixture, engineer));
    }

    [Theory]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json")]
    public async Task ABodyThatIsNotUtf8IsAClearProblemAndWritesNothing(string contentType)
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        // "café" in Latin-1: the é is the lone byte 0xE9, which is not UTF-8.
        var body = Encoding.Latin1.GetBytes("{\"role\":\"prod-admin\",\"durationMinutes\":30,\"reason\":\"the café database is on fire\"}");
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.PostAsync("/api/grants", content);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await Database.GrantCountAsync(fixture, engineer));
    }

    [Theory]
    [InlineData(201)]
    [InlineData(5000)]
    public async Task AnOverlongIdempotencyKeyIsAClearProblemAndWritesNothing(int length)
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));

        var response = await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: new string('k', length));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", (string?)problem["detail"]);
        Assert.Equal(0, await Database.GrantCountAsync(fixture, engineer));
    }

    [Fact]
    public async Task ANulInAnEarlyEndReasonIsRefusedAndTheGrantStaysActive()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)grant["id"]!;
        var eventsBefore = await AuditEventCountAsync(id);

        var response = await client.PostAsync($"/api/grants/{id}/revoke",
            new StringContent("""{"reason":"done\u0000 here"}""", Encoding.UTF8, "application/json"));

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("NUL", (string?)problem["detail"]);
        Assert.Equal("Active", (await client.GetGrantAsync(id)).Status);
        Assert.Equal(eventsBefore, await AuditEventCountAsync(id));
    }

    private Task<long> AuditEventCountAsync(string grantId) =>
        Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events WHERE grant_id = @id", ("id", Guid.Parse(grantId)));

    [Fact]
    public async Task ANulInAReviewNoteIsRefusedBeforeAnythingIsLookedUp()
    {
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));

        var response = await reviewer.PostAsync($"/api/reviews/{Guid.NewGuid()}/decision", new StringContent(
            """{"decision":"approved","notes":"fine\u0000","evidenceSha256":"00"}""", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("/api/audit/grants?requester=%00")]
    [InlineData("/api/audit/grants?role=prod%00admin")]
    [InlineData("/api/audit/grants?page=2147483647")]
    [InlineData("/api/audit/grants?page=1000001")]
    [InlineData("/api/audit/grants?page=0")]
    [InlineData("/api/audit/grants?page=99999999999999999999")]
    [InlineData("/api/audit/grants?pageSize=2147483647")]
    [InlineData("/api/audit/grants?pageSize=-1")]
    [InlineData("/api/audit/grants?from=99999-01-01")]
    public async Task AbsurdQueriesAreAClearProblem(string path)
    {
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        await AssertProblemAsync(await auditor.GetAsync(path), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheLastAllowedPageIsAnEmptyPageNotAnOverflow()
    {
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        var page = await (await auditor.GetAsync("/api/audit/grants?page=1000000&pageSize=1000")).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Empty(page["items"]!.AsArray());
    }

    [Fact]
    public async Task ResponsesCarryingCredentialsAreNeverCached()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var created = await client.BreakGlassAsync(BreakGlassFixture.AdminRole);
        var grant = await created.ReadObjectAsync(HttpStatusCode.Created);
        var reissued = await client.PostAsync($"/api/grants/{(string)grant["id"]!}/credentials", null);

        Assert.True(created.Headers.CacheControl?.NoStore, "the grant with its credentials must not be cached");
        Assert.Equal(HttpStatusCode.OK, reissued.StatusCode);
        Assert.True(reissued.Headers.CacheControl?.NoStore, "reissued credentials must not be cached");
    }

    private static async Task<JsonNode> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.NotNull(problem["traceId"]);
        return problem;
    }

    [Fact]
    public async Task AnOversizedBodyIsRefused()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var body = $$"""{"role":"prod-admin","durationMinutes":30,"reason":"{{new string('x', 100_000)}}"}""";

        var response = await client.PostAsync("/api/grants", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ARoleOutsideYourGroupsIsRefusedByPolicyAndAudited()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));

        var response = await client.BreakGlassAsync(BreakGlassFixture.LeadsOnlyRole);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("None of your groups", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await Database.GrantCountAsync(fixture, engineer));
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT data FROM audit_events WHERE event_type = 'grant.denied' AND actor = @engineer", connection);
        command.Parameters.AddWithValue("engineer", TestIdentityProvider.SubjectOf(engineer));
        var data = JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!;
        Assert.Equal(BreakGlassFixture.LeadsOnlyRole, (string?)data["role"]);
    }

    [Fact]
    public async Task TheRolesListLeavesOutRolesOutsideYourGroups()
    {
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var lead = fixture.Client(fixture.Idp.Token(TestIdentityProvider.NewUser("lead"), TestIdentityProvider.RequesterGroup, BreakGlassFixture.LeadsGroup));

        var forRequester = JsonNode.Parse(await requester.GetStringAsync("/api/roles"))!.AsArray().Select(role => (string?)role!["name"]);
        var forLead = JsonNode.Parse(await lead.GetStringAsync("/api/roles"))!.AsArray().Select(role => (string?)role!["name"]);

        Assert.DoesNotContain(BreakGlassFixture.LeadsOnlyRole, forRequester);
        Assert.Contains(BreakGlassFixture.LeadsOnlyRole, forLead);
    }

    [Fact]
    public async Task GrantRequestsAreRateLimitedPerEngineer()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var other = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("other")));
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 32; attempt++)
        {
            statuses.Add((await client.BreakGlassAsync("nope")).StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.BadRequest, (await other.BreakGlassAsync("nope")).StatusCode);
    }
}
