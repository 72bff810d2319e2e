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
        command.Parameters.AddWithValue("engineer", engineer);
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
