using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken.Model;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Grants;

public sealed class BreakingGlassTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task BreakingGlassReturnsCredentialsThatWorkAsTheRole()
    {
        var role = fixture.TakeDedicatedRole();
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));

        var grant = await (await client.BreakGlassAsync(role, minutes: 30)).ReadObjectAsync(HttpStatusCode.Created);

        Assert.Equal("Active", (string?)grant["status"]);
        Assert.Equal(TestIdentityProvider.SubjectOf(engineer), (string?)grant["requester"]);
        Assert.Equal(engineer, (string?)grant["requesterName"]);
        var credentials = grant["credentials"]!;
        using var sts = fixture.StsAs(new SessionAWSCredentials(
            (string)credentials["accessKeyId"]!, (string)credentials["secretAccessKey"]!, (string)credentials["sessionToken"]!));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Contains($":assumed-role/{fixture.RoleArnOf(role).Split('/')[^1]}/bg-{TestIdentityProvider.SubjectOf(engineer)}-", identity.Arn);
        Assert.Equal([(string)credentials["accessKeyId"]!], grant["accessKeyIds"]!.AsArray().Select(key => (string)key!));
        using var session = new EngineerSession(fixture.Moto, credentials);
        Assert.True(await session.IsHonouredAsync());
    }

    [Fact]
    public async Task AGrantReadBackNeverContainsSecrets()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);

        var read = await (await client.GetAsync($"/api/grants/{created["id"]}")).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Null(read["credentials"]);
        Assert.DoesNotContain((string)created["credentials"]!["secretAccessKey"]!, read.ToJsonString());
        Assert.DoesNotContain((string)created["credentials"]!["sessionToken"]!, read.ToJsonString());
    }

    [Fact]
    public async Task EndingAGrantEarlyRevokesItAndAwsRefusesTheSession()
    {
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        using var session = new EngineerSession(fixture.Moto, created["credentials"]!);
        Assert.True(await session.IsHonouredAsync());

        var ended = await (await client.RevokeAsync((string)created["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Equal("Revoked", (string?)ended["status"]);
        Assert.Equal("incident resolved early", (string?)ended["endReason"]);
        Assert.NotNull(ended["endedAt"]);
        Assert.False(await session.IsHonouredAsync());
    }

    [Fact]
    public async Task AtTheEndOfTheWindowTheSessionIsRefusedAndTheGrantReadsRevoked()
    {
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(role, minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
        var expiresAt = DateTimeOffset.Parse((string)created["expiresAt"]!);
        using var session = new EngineerSession(fixture.Moto, created["credentials"]!);
        Assert.True(await session.IsHonouredAsync());

        var refusedAt = await session.WaitUntilRefusedAsync(expiresAt - DateTimeOffset.UtcNow + Eventually.Patience);

        // Not before the window ends (the job may start up to a second early); how soon after is a benchmark (RevocationLag).
        Assert.NotNull(refusedAt);
        Assert.True(refusedAt.Value - expiresAt >= TimeSpan.FromSeconds(-2), $"refused at {refusedAt:O}, before the window ended at {expiresAt:O}");
        var revoked = await client.WaitForStatusAsync((string)created["id"]!, "Revoked", Eventually.Patience);
        Assert.Equal("Revoked", revoked.Status);
        Assert.Equal("breakglass", revoked.EndedBy);
    }

    [Fact]
    public async Task FreshCredentialsForAnActiveGrantCarryTheSameRevocation()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;

        var reissued = await (await client.PostAsync($"/api/grants/{id}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Equal(id, (string?)reissued["id"]);
        Assert.NotEqual((string?)created["credentials"]!["accessKeyId"], (string?)reissued["credentials"]!["accessKeyId"]);
        Assert.Equal(2, reissued["accessKeyIds"]!.AsArray().Count);
        using var first = new EngineerSession(fixture.Moto, created["credentials"]!);
        using var second = new EngineerSession(fixture.Moto, reissued["credentials"]!);
        await (await client.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        Assert.False(await first.IsHonouredAsync());
        Assert.False(await second.IsHonouredAsync());
    }

    [Fact]
    public async Task NoNewCredentialsForAnEndedGrant()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        await (await client.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);

        var response = await client.PostAsync($"/api/grants/{id}/credentials", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RevokingARevokedGrantIsANoOp()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var first = await (await client.RevokeAsync(id, "first reason")).ReadObjectAsync(HttpStatusCode.OK);

        var second = await (await client.RevokeAsync(id, "second reason")).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Equal("Revoked", (string?)second["status"]);
        Assert.Equal("first reason", (string?)second["endReason"]);
        Assert.Equal((string?)first["endedAt"], (string?)second["endedAt"]);
    }

    [Fact]
    public async Task AnotherEngineerCannotEndYourGrantButAReviewerCan()
    {
        using var owner = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var colleague = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("colleague")));
        var cto = TestIdentityProvider.NewUser("cto");
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(cto));
        var created = await (await owner.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;

        Assert.Equal(HttpStatusCode.NotFound, (await colleague.RevokeAsync(id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleague.GetAsync($"/api/grants/{id}")).StatusCode);
        Assert.Equal("Active", (await owner.GetGrantAsync(id)).Status);

        var ended = await (await reviewer.RevokeAsync(id, "reviewer ended it")).ReadObjectAsync(HttpStatusCode.OK);
        Assert.Equal("Revoked", (string?)ended["status"]);
        Assert.Equal(TestIdentityProvider.SubjectOf(cto), (string?)ended["endedBy"]);
    }

    [Fact]
    public async Task ARequesterListsOnlyTheirOwnGrantsWhileAReviewerSeesAllUnlessAskingForTheirOwn()
    {
        var engineer = TestIdentityProvider.NewUser();
        var cto = TestIdentityProvider.NewUser("cto");
        using var mine = fixture.Client(fixture.Idp.Requester(engineer));
        using var other = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("other")));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(cto));
        var own = await (await mine.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var theirs = await (await other.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);

        var listed = System.Text.Json.Nodes.JsonNode.Parse(await mine.GetStringAsync("/api/grants"))!.AsArray();
        var all = System.Text.Json.Nodes.JsonNode.Parse(await reviewer.GetStringAsync("/api/grants?limit=500"))!.AsArray();

        Assert.All(listed, grant => Assert.Equal(TestIdentityProvider.SubjectOf(engineer), (string?)grant!["requester"]));
        Assert.Contains(listed, grant => (string?)grant!["id"] == (string?)own["id"]);
        Assert.Contains(all, grant => (string?)grant!["id"] == (string?)theirs["id"]);
        Assert.All(all, grant => Assert.Null(grant!["credentials"]));
        var reviewersOwn = System.Text.Json.Nodes.JsonNode.Parse(await reviewer.GetStringAsync("/api/grants?limit=500&mine=true"))!.AsArray();
        Assert.DoesNotContain(reviewersOwn, grant => (string?)grant!["id"] == (string?)theirs["id"]);
        Assert.All(reviewersOwn, grant => Assert.Equal(TestIdentityProvider.SubjectOf(cto), (string?)grant!["requester"]));
    }

    [Fact]
    public async Task TheRolesListShowsWhatTheCallerMayUse()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var roles = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/roles"))!.AsArray();

        var admin = Assert.Single(roles, role => (string?)role!["name"] == BreakGlassFixture.AdminRole)!;
        Assert.Equal(240, (int)admin["maxDurationMinutes"]!);
        Assert.Equal(fixture.Aws.RoleArns[0], (string?)admin["roleArn"]);
    }
}
