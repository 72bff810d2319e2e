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
        { """{"role":"prod-admin","durationMinutes":0,"reason":"database is on fire"}""", "DurationMinutes" },
        { """{"role":"prod-admin","durationMinutes":241,"reason":"database is on fire"}""", "at most 240 minutes" },
        { """{"role":"prod-admin","durationMinutes":30,"reason":"short"}""", "Reason" },
        { """{"role":"prod-admin","durationMinutes":30}""", "Reason" },
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
        Assert.Equal(0, await GrantCountAsync(engineer));
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
    public async Task ARoleOutsideYourGroupsIsRefusedAndAudited()
    {
        var outsider = TestIdentityProvider.NewUser("contractor");
        using var client = fixture.Client(fixture.Idp.Token(outsider, TestIdentityProvider.RequesterGroup + "-not", "contractors"));
        using var allowed = fixture.Client(fixture.Idp.Token(outsider, TestIdentityProvider.RequesterGroup));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).StatusCode);

        using var limited = fixture.Client(fixture.Idp.Token(outsider, TestIdentityProvider.RequesterGroup, "unrelated"));
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        // The requester group is what makes someone a requester; a role's AllowedGroups then decides per role.
        var roles = JsonNode.Parse(await allowed.GetStringAsync("/api/roles"))!.AsArray();
        Assert.NotEmpty(roles);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_events WHERE event_type = 'grant.denied' AND actor = @outsider", connection);
        command.Parameters.AddWithValue("outsider", outsider);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
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

    private async Task<long> GrantCountAsync(string requester)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM grants WHERE requester = @requester", connection);
        command.Parameters.AddWithValue("requester", requester);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
