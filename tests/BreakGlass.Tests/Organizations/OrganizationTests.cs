using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using BreakGlass.Aws.Iam;
using BreakGlass.Evidence;
using BreakGlass.Revocation;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Organizations;

/// <summary>Break glass across an organization: roles in member accounts, reached through each account's agent role.</summary>
public sealed class OrganizationTests(OrganizationFixture fixture) : IClassFixture<OrganizationFixture>
{
    [Fact]
    public async Task EachMemberAccountsGrantIsRevokedThroughItsOwnAgentAndRefusedByAws()
    {
        using var alice = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("alice")));
        var inA = await (await alice.BreakGlassAsync(OrganizationFixture.RoleInA)).ReadObjectAsync(HttpStatusCode.Created);
        var inB = await (await alice.BreakGlassAsync(OrganizationFixture.RoleInB)).ReadObjectAsync(HttpStatusCode.Created);
        using var sessionA = new EngineerSession(fixture.AwsEndpoint, inA["credentials"]!);
        using var sessionB = new EngineerSession(fixture.AwsEndpoint, inB["credentials"]!);
        Assert.True(await sessionA.IsHonouredAsync());
        Assert.True(await sessionB.IsHonouredAsync());

        await (await alice.RevokeAsync((string)inA["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.False(await sessionA.IsHonouredAsync());
        // Same role name in another account: another role, another deny, another lock.
        Assert.True(await sessionB.IsHonouredAsync());
        Assert.Equal([Guid.Parse((string)inA["id"]!)], DenyPolicy.Parse((await DenyInAsync(OrganizationFixture.MemberA))!).GrantIds);
        Assert.Null(await DenyInAsync(OrganizationFixture.MemberB));
        // The write that denied this grant (preflight may have written the role's deny back too), in A's own trail.
        var write = (await fixture.AgentTrailAsync(OrganizationFixture.MemberA))
            .First(record => (string?)record["eventName"] == "PutRolePolicy" && (string?)record["errorCode"] is null
                             && (string?)record["requestParameters"]!["roleName"] == fixture.MemberRoleName
                             && ((string?)record["requestParameters"]!["policyDocument"])?.Contains((string)inA["id"]!, StringComparison.Ordinal) == true);
        Assert.Equal($"arn:aws:sts::{OrganizationFixture.MemberA}:assumed-role/{OrganizationFixture.AgentRoleName}/breakglass-agent",
            (string?)write["userIdentity"]!["arn"]);
        Assert.Equal("breakglass-broker", (string?)write["userIdentity"]!["sessionContext"]!["sourceIdentity"]);

        await (await alice.RevokeAsync((string)inB["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.False(await sessionB.IsHonouredAsync());
        Assert.Equal([Guid.Parse((string)inB["id"]!)], DenyPolicy.Parse((await DenyInAsync(OrganizationFixture.MemberB))!).GrantIds);
    }

    [Fact]
    public async Task EvidenceOfAMemberAccountsGrantComesFromThatAccountsTrailOnly()
    {
        using var bob = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("bob")));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));
        var inA = await (await bob.BreakGlassAsync(OrganizationFixture.RoleInB)).ReadObjectAsync(HttpStatusCode.Created);
        var inBroker = await (await bob.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);
        using (var member = new EngineerSession(fixture.AwsEndpoint, inA["credentials"]!))
        using (var own = new EngineerSession(fixture.AwsEndpoint, inBroker["credentials"]!))
        {
            Assert.True(await member.IsHonouredAsync());
            Assert.True(await own.IsHonouredAsync());
        }
        await (await bob.RevokeAsync((string)inA["id"]!)).ReadObjectAsync(HttpStatusCode.OK);
        await (await bob.RevokeAsync((string)inBroker["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        var memberEvents = EvidenceApiClient.Events(await reviewer.WaitForEvidenceAsync((string)inA["id"]!, EvidenceCompleteness.Complete, Eventually.Patience));
        var ownEvents = EvidenceApiClient.Events(await reviewer.WaitForEvidenceAsync((string)inBroker["id"]!, EvidenceCompleteness.Complete, Eventually.Patience));

        // LookupEvents answers for the caller's own account only: each list was read in its session's account.
        Assert.Contains(memberEvents, item => (string?)item["eventName"] == "ListBuckets");
        Assert.All(memberEvents, item => Assert.Equal((string)inA["credentials"]!["accessKeyId"]!, (string?)item["accessKeyId"]));
        Assert.Contains(ownEvents, item => (string?)item["eventName"] == "ListBuckets");
        Assert.All(ownEvents, item => Assert.Equal((string)inBroker["credentials"]!["accessKeyId"]!, (string?)item["accessKeyId"]));
    }

    [Fact]
    public async Task PreflightReportsTheMemberAccountWhoseAgentRoleIsMissingAndPassesEveryOtherAccount()
    {
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("carol")));
        var denyInA = await DenyInAsync(OrganizationFixture.MemberA);
        var denyInB = await DenyInAsync(OrganizationFixture.MemberB);

        var report = await (await reviewer.GetAsync("/api/preflight")).ReadObjectAsync(HttpStatusCode.OK);

        Assert.False((bool)report["ok"]!);
        Assert.NotNull((string?)report["checkedAt"]);
        var roles = report["roles"]!.AsArray().Select(role => role!.AsObject()).ToDictionary(role => (string)role["role"]!);
        foreach (var (name, account) in new[]
                 {
                     (OrganizationFixture.RoleInA, OrganizationFixture.MemberA), (OrganizationFixture.RoleInB, OrganizationFixture.MemberB),
                     (BreakGlassFixture.AdminRole, AwsSandbox.AccountId),
                 })
        {
            Assert.Equal(account, (string?)roles[name]["account"]);
            var checks = roles[name]["checks"]!.AsArray().Select(check => check!.AsObject()).ToArray();
            Assert.True((bool)roles[name]["ok"]!, roles[name].ToJsonString());
            Assert.Equal(["agent-assumable", "deny-read-write", "trust-names-broker", "lookup-events"], checks.Select(check => (string)check["name"]!));
            Assert.All(checks, check => Assert.True((bool)check["ok"]!));
        }
        var missing = roles[OrganizationFixture.RoleWithoutAgentRole];
        Assert.False((bool)missing["ok"]!);
        var agentCheck = missing["checks"]!.AsArray()[0]!;
        Assert.Equal("agent-assumable", (string?)agentCheck["name"]);
        Assert.False((bool)agentCheck["ok"]!);
        Assert.Contains(OrganizationFixture.AgentRoleArn(OrganizationFixture.MemberWithoutAgentRole), (string?)agentCheck["detail"]);
        Assert.False((bool)roles[OrganizationFixture.RoleInMisconfiguredAccount]["ok"]!);
        Assert.False((bool)roles[OrganizationFixture.RoleInUnconfiguredAccount]["ok"]!);
        // The deny is written back as it was (or, where there was none, the probe removed again).
        Assert.Equal(denyInA, await DenyInAsync(OrganizationFixture.MemberA));
        Assert.Equal(denyInB, await DenyInAsync(OrganizationFixture.MemberB));

        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/preflight")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.GetAsync("/api/preflight")).StatusCode);
        using var anonymous = fixture.Client(null);
        var ready = await anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var detail = (await ready.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Degraded", (string?)detail["checks"]!["preflight"]!["status"]);
        Assert.Contains(OrganizationFixture.RoleWithoutAgentRole, (string?)detail["checks"]!["preflight"]!["description"]);
        Assert.Contains(fixture.Log, line => line.Contains("ALERT preflight failed", StringComparison.Ordinal)
                                             && line.Contains(OrganizationFixture.RoleWithoutAgentRole, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RolesInAccountsBreakGlassCannotReachAreLoggedAtStartAndRefusedWhileTheOthersAreServed()
    {
        using var dave = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("dave")));

        foreach (var role in new[] { OrganizationFixture.RoleInMisconfiguredAccount, OrganizationFixture.RoleInUnconfiguredAccount })
        {
            Assert.Contains(fixture.Log, line => line.Contains("ALERT role " + role, StringComparison.Ordinal));
            var refused = await dave.BreakGlassAsync(role);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains(fixture.Log, line => line.Contains($"ALERT Accounts:3:AgentRoleArn", StringComparison.Ordinal));
        // Alerted once at start, not again by every reconciler pass (one runs at start, then every 2 s here).
        Assert.DoesNotContain(fixture.Log, line => line.Contains("Checking the deny on " + fixture.MemberRoleArn(OrganizationFixture.UnconfiguredAccount), StringComparison.Ordinal));
        var served = (await dave.GetFromJsonAsync<JsonArray>("/api/roles"))!.Select(role => (string)role!["name"]!).ToArray();
        Assert.Contains(OrganizationFixture.RoleInA, served);
        Assert.Contains(BreakGlassFixture.AdminRole, served);
        Assert.DoesNotContain(OrganizationFixture.RoleInMisconfiguredAccount, served);
        Assert.DoesNotContain(OrganizationFixture.RoleInUnconfiguredAccount, served);
    }

    private Task<string?> DenyInAsync(string account) =>
        MotoIam.Client(MotoIam.Environment(fixture.Moto, fixture.AdminOf(account))).GetRolePolicyAsync(fixture.MemberRoleName, DenyPolicy.PolicyName);
}
