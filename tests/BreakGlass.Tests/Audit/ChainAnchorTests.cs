using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Audit;

/// <summary>A fixture of its own: the test deletes the newest audit events for good.</summary>
public sealed class ChainAnchorTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task AHeadKeptOutsideTheDatabaseShowsThatTheNewestEventsWereDeletedOrReplaced()
    {
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        await BreakGlassAndEndAsync(requester);
        var kept = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!["head"]!;
        var (sequence, hash) = ((long)kept["sequence"]!, (string)kept["hash"]!);
        await BreakGlassAndEndAsync(requester);

        var stillThere = await VerifyAsync(auditor, sequence, hash);
        Assert.True((bool)stillThere["ok"]!);
        Assert.Equal("matches", (string?)stillThere["anchor"]!["status"]);
        Assert.True((long)stillThere["head"]!["sequence"]! > sequence);

        // Someone with the owner's rights (not the service: DatabaseRoleTests) removes the newest events.
        await Database.ExecuteAsync(fixture.ConnectionString,
            $"""
             ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete;
             DELETE FROM audit_events WHERE sequence >= {sequence - 1};
             ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete;
             """);

        var shorter = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!;
        Assert.True((bool)shorter["ok"]!, "a chain cut at its end still links up: only a kept head can tell");
        var missing = await VerifyAsync(auditor, sequence, hash);
        Assert.False((bool)missing["ok"]!);
        Assert.Equal("missing", (string?)missing["anchor"]!["status"]);
        Assert.Equal(sequence - 2, (long)missing["checked"]!);

        await BreakGlassAndEndAsync(requester);
        var replaced = await VerifyAsync(auditor, sequence, hash);
        Assert.False((bool)replaced["ok"]!);
        Assert.Equal("differs", (string?)replaced["anchor"]!["status"]);
    }

    [Theory]
    [InlineData("sequence=3")]
    [InlineData("hash=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sequence=0&hash=0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("sequence=3&hash=not-a-hash")]
    [InlineData("sequence=3&hash=00000000000000000000000000000000000000000000000000000000000000zz")]
    public async Task AMalformedKeptHeadIsAClearProblem(string query)
    {
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        var response = await auditor.GetAsync($"/api/audit/verify?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<JsonNode> VerifyAsync(HttpClient auditor, long sequence, string hash) =>
        JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/verify?sequence={sequence}&hash={hash.ToUpperInvariant()}"))!;

    private static async Task BreakGlassAndEndAsync(HttpClient requester)
    {
        var created = await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        await (await requester.RevokeAsync((string)created["id"]!)).ReadObjectAsync(HttpStatusCode.OK);
    }
}
