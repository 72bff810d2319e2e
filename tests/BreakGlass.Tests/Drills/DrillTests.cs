using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Drills;

/// <summary>Drills through the real service, its jobs, moto and the recording front: the whole path, and a broken one.</summary>
public sealed class DrillTests(DrillFixture fixture) : IClassFixture<DrillFixture>
{
    private static readonly string[] AllStages = ["credentials", "use", "end", "refusal", "evidence"];

    [Fact]
    public async Task ADrillBreaksGlassUsesTheKeyEndsItSeesAwsRefuseItAndFindsItsOwnCallInTheEvidence()
    {
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        var id = await reviewer.StartDrillAsync();

        var drill = await reviewer.WaitForResultAsync(id);

        Assert.True((bool)drill["passed"]!, drill.ToJsonString());
        var stages = drill["stages"]!.AsArray().Select(stage => stage!.AsObject()).ToList();
        Assert.Equal(AllStages, stages.Select(stage => (string)stage["name"]!));
        Assert.All(stages, stage =>
        {
            Assert.True((bool)stage["ok"]!, stage.ToJsonString());
            Assert.True((double)stage["seconds"]! >= 0);
            Assert.False(string.IsNullOrWhiteSpace((string?)stage["detail"]));
        });
        // Each stage is timed from its start to its end (no bound is asserted: only that time was measured).
        Assert.True(stages.Sum(stage => (double)stage["seconds"]!) > 0, drill.ToJsonString());
        var grantId = (string)drill["grantId"]!;
        var accessKeyId = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT access_key_id FROM grant_credentials WHERE grant_id = @id", ("id", Guid.Parse(grantId)));
        Assert.Contains(accessKeyId, (string)stages[0]["detail"]!);
        Assert.Contains("ListBuckets", (string)stages[4]["detail"]!);
        // The drill's own read, as the shared evidence collector stored it.
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM evidence_events WHERE grant_id = @id AND access_key_id = @key AND event_name = 'ListBuckets' AND error_code IS NULL",
            ("id", Guid.Parse(grantId)), ("key", accessKeyId)));
        // A drill files no ticket unless configured.
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM tickets WHERE grant_id = @id", ("id", Guid.Parse(grantId))));

        var completed = await DrillCompletedAsync(id);
        Assert.True((bool)completed["passed"]!);
        Assert.Equal(AllStages, completed["stages"]!.AsArray().Select(stage => (string)stage!["name"]!));
        Assert.Equal(grantId, (string)completed["grantId"]!);
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        Assert.True((bool)(await (await auditor.GetAsync("/api/audit/verify")).ReadObjectAsync(HttpStatusCode.OK))["ok"]!);

        // Once its evidence is complete the grant waits for review like any other, but a drill is never an exception.
        Assert.Equal("AwaitingReview", (await reviewer.WaitForStatusAsync(grantId, "AwaitingReview", Eventually.Patience)).Status);
        var queue = await (await reviewer.GetAsync("/api/reviews?status=pending")).ReadAsync<JsonArray>(HttpStatusCode.OK);
        Assert.DoesNotContain(queue, item => (string)item!["grant"]!["id"]! == grantId);
        var sha256 = (string)(await (await reviewer.GetAsync($"/api/grants/{grantId}/evidence")).ReadObjectAsync(HttpStatusCode.OK))["sha256"]!;
        var refused = await (await reviewer.PostAsJsonAsync($"/api/reviews/{grantId}/decision",
            new { decision = "approved", notes = "a drill", evidenceSha256 = sha256 })).ReadObjectAsync(HttpStatusCode.Conflict);
        Assert.Contains("need no review", (string)refused["detail"]!);
        var register = await (await auditor.GetAsync("/api/audit/grants?pageSize=1000")).ReadObjectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(register["items"]!.AsArray(), item => (string)item!["grant"]!["id"]! == grantId);

        var listed = await (await auditor.GetAsync("/api/drills")).ReadAsync<JsonArray>(HttpStatusCode.OK);
        Assert.Contains(listed, item => (string)item!["id"]! == id && (bool)item["passed"]!);
    }

    [Fact]
    public async Task ADrillOnARoleWhoseTrustNoLongerNamesTheBrokerFailsLoudlyAndLeavesNoLiveGrant()
    {
        var roleName = fixture.RoleArnOf(DrillFixture.DrillRole).Split('/')[^1];
        var admin = MotoIam.Environment(fixture.Moto, fixture.Aws.FrontAdmin);
        var trust = MotoIam.Value(await MotoIam.QueryAsync(admin, "GetRole", ("RoleName", roleName)), "AssumeRolePolicyDocument");
        await MotoIam.QueryAsync(admin, "UpdateAssumeRolePolicy", ("RoleName", roleName), ("PolicyDocument",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{AwsSandbox.AccountId}}:user/someone-else"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}"""));
        try
        {
            using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
            var id = await reviewer.StartDrillAsync();

            var drill = await reviewer.WaitForResultAsync(id);

            Assert.False((bool)drill["passed"]!, drill.ToJsonString());
            var failed = Assert.Single(drill["stages"]!.AsArray())!.AsObject();
            Assert.Equal("credentials", (string)failed["name"]!);
            Assert.False((bool)failed["ok"]!);
            Assert.False(string.IsNullOrWhiteSpace((string?)failed["detail"]));
            var completed = await DrillCompletedAsync(id);
            Assert.False((bool)completed["passed"]!);
            Assert.Equal("credentials", (string)completed["failedStage"]!);
            Assert.True(await Eventually.TrueAsync(
                () => fixture.Log.Any(line => line.Contains($"ALERT drill {id}", StringComparison.Ordinal) && line.Contains("credentials", StringComparison.Ordinal)),
                Eventually.Patience), "no ALERT line for the failed drill");
            // Its grant committed and then failed to issue: nothing was minted, nothing is open.
            Assert.Equal("Failed", await Database.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT status FROM grants WHERE drill_id = @id", ("id", Guid.Parse(id))));
        }
        finally
        {
            await MotoIam.QueryAsync(admin, "UpdateAssumeRolePolicy", ("RoleName", roleName), ("PolicyDocument", Uri.UnescapeDataString(trust)));
        }
    }

    [Fact]
    public async Task OnlyReviewersStartDrillsAuditorsAndReviewersReadThemAndAnUnknownDrillIsNotFound()
    {
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        using var anonymous = fixture.Client(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/drills", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/drills")).StatusCode);
        await (await requester.PostAsync("/api/drills", null)).ReadObjectAsync(HttpStatusCode.Forbidden);
        await (await auditor.PostAsync("/api/drills", null)).ReadObjectAsync(HttpStatusCode.Forbidden);
        await (await requester.GetAsync("/api/drills")).ReadObjectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/drills")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync("/api/drills")).StatusCode);
        var missing = await (await auditor.GetAsync($"/api/drills/{Guid.CreateVersion7()}")).ReadObjectAsync(HttpStatusCode.NotFound);
        Assert.Contains("No drill", (string)missing["detail"]!);
        await (await auditor.GetAsync("/api/drills?limit=0")).ReadObjectAsync(HttpStatusCode.BadRequest);
    }

    private async Task<JsonObject> DrillCompletedAsync(string drillId)
    {
        var data = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT data::text FROM audit_events WHERE event_type = 'drill.completed' AND data::jsonb->>'drillId' = @id", ("id", drillId));
        return JsonNode.Parse(data)!.AsObject();
    }
}

/// <summary>A service with no <c>Drills:Role</c>: starting a drill is a conflict with the configuration, not a 5xx.</summary>
public sealed class DrillWithoutARoleTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task StartingADrillWithNoDrillRoleConfiguredIsAConflictThatSaysWhatToSet()
    {
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var problem = await (await reviewer.PostAsync("/api/drills", null)).ReadObjectAsync(HttpStatusCode.Conflict);

        Assert.Contains("Drills:Role", (string)problem["detail"]!);
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM drills"));
    }
}
