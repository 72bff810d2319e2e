using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Amazon.SecurityToken.Model;
using BreakGlass.Aws.Iam;
using BreakGlass.Revocation;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Enforcement;

/// <summary>Several live grants on one role, with the LocalAws front evaluating the conditions of BreakGlass's deny.</summary>
public sealed class OneRoleManyGrantsTests(RoleSessionBrokerFixture fixture) : IClassFixture<RoleSessionBrokerFixture>
{
    [Fact]
    public async Task OnlyTheRevokedOfTwoLiveGrantsOnOneRoleIsRefused()
    {
        var role = fixture.TakeDedicatedRole();
        using var alice = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("alice")));
        using var bob = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("bob")));
        var ended = await (await alice.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var kept = await (await bob.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        using var endedSession = new EngineerSession(fixture.AwsEndpoint, ended["credentials"]!);
        using var keptSession = new EngineerSession(fixture.AwsEndpoint, kept["credentials"]!);

        await (await alice.RevokeAsync((string)ended["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.False(await endedSession.IsHonouredAsync());
        Assert.True(await keptSession.IsHonouredAsync());
        // Read back through the front, the deny is the document BreakGlass wrote, not moto's neutralised copy.
        var document = await FrontIam().GetRolePolicyAsync(RoleArn.RoleName(fixture.RoleArnOf(role)), DenyPolicy.PolicyName);
        Assert.Equal([Guid.Parse((string)ended["id"]!)], DenyPolicy.Parse(document!).GrantIds);
        Assert.Contains("\"Resource\":\"*\"", document);
    }

    [Fact]
    public async Task RevokeAllRefusesEverySessionOfTheRoleIssuedBeforeItAndANewGrantWorks()
    {
        var role = fixture.TakeDedicatedRole();
        var engineers = Enumerable.Range(0, 3).Select(_ => fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()))).ToList();
        var grants = new List<JsonObject>();
        foreach (var engineer in engineers) grants.Add(await (await engineer.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created));
        var sessions = grants.Select(grant => new EngineerSession(fixture.AwsEndpoint, grant["credentials"]!)).ToList();
        // A session of the role that BreakGlass did not issue: no grant tag at all.
        using var sts = fixture.StsThroughFront(fixture.BrokerSession);
        var outsider = (await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = fixture.RoleArnOf(role), RoleSessionName = "outsider", DurationSeconds = 900 })).Credentials;
        sessions.Add(new EngineerSession(fixture.AwsEndpoint, new JsonObject
        {
            ["accessKeyId"] = outsider.AccessKeyId, ["secretAccessKey"] = outsider.SecretAccessKey, ["sessionToken"] = outsider.SessionToken,
        }));
        foreach (var session in sessions) Assert.True(await session.IsHonouredAsync());
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var response = await reviewer.PostAsJsonAsync($"/api/roles/{role}/revoke-all", new { reason = "credentials leaked in a screen share" });

        var outcome = await response.ReadObjectAsync(HttpStatusCode.OK);
        Assert.Equal(grants.Select(grant => (string)grant["id"]!).Order(), outcome["endedGrants"]!.AsArray().Select(id => (string)id!).Order());
        foreach (var session in sessions) Assert.False(await session.IsHonouredAsync());
        foreach (var grant in grants)
        {
            var read = await reviewer.GetGrantAsync((string)grant["id"]!);
            Assert.Equal("Revoked", read.Status);
            Assert.Contains("credentials leaked in a screen share", read.EndReason);
        }
        var document = await FrontIam().GetRolePolicyAsync(RoleArn.RoleName(fixture.RoleArnOf(role)), DenyPolicy.PolicyName);
        Assert.Equal(DateTimeOffset.Parse((string)outcome["revokeSessionsIssuedBefore"]!), DenyPolicy.Parse(document!).RevokeSessionsIssuedBefore);

        var fresh = await (await engineers[0].BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        using var freshSession = new EngineerSession(fixture.AwsEndpoint, fresh["credentials"]!);
        Assert.True(await freshSession.IsHonouredAsync());
        foreach (var session in sessions) session.Dispose();
        foreach (var engineer in engineers) engineer.Dispose();
    }

    [Fact]
    public async Task RevokeAllOnAnUnknownRoleIsA404AndRequesterCannotPressIt()
    {
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var unknown = await reviewer.PostAsJsonAsync("/api/roles/no-such-role/revoke-all", new { reason = "panic" });
        var forbidden = await requester.PostAsJsonAsync($"/api/roles/{BreakGlassFixture.AdminRole}/revoke-all", new { reason = "panic" });
        var noReason = await reviewer.PostAsJsonAsync($"/api/roles/{BreakGlassFixture.AdminRole}/revoke-all", new { reason = "" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal("application/problem+json", noReason.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AThirdOpenGrantOnOneRoleIsRefusedAndNothingIsWritten()
    {
        var role = fixture.TakeDedicatedRole();
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var first = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);

        var third = await client.BreakGlassAsync(role);

        var problem = await third.ReadObjectAsync(HttpStatusCode.Conflict);
        Assert.Equal("application/problem+json", third.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Too many open grants on this role", (string?)problem["title"]);
        Assert.Contains("Policy:MaxOpenGrantsPerRequester", (string?)problem["detail"]);
        var mine = JsonNode.Parse(await client.GetStringAsync("/api/grants"))!.AsArray();
        Assert.Equal(2, mine.Count);
        // Another role is not capped by this one, and ending a grant makes room again.
        await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        await (await client.RevokeAsync((string)first["id"]!)).ReadObjectAsync(HttpStatusCode.OK);
        await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ADenyThatNoLongerFitsBecomesACutOffAndTheGrantStillEnds()
    {
        var role = fixture.TakeDedicatedRole();
        var roleArn = fixture.RoleArnOf(role);
        using var bob = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("bob")));
        var kept = await (await bob.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        using var keptSession = new EngineerSession(fixture.AwsEndpoint, kept["credentials"]!);
        // 300 grants revoked an hour ago whose credentials are still live: more ids than IAM's limit holds.
        await using (var database = Npgsql.NpgsqlDataSource.Create(fixture.ConnectionString))
        await using (var connection = await database.OpenConnectionAsync())
        {
            await Dapper.SqlMapper.ExecuteAsync(connection,
                """
                WITH filler AS (SELECT gen_random_uuid() AS id FROM generate_series(1, 300))
                , inserted AS (
                    INSERT INTO grants (id, status, requester, requester_name, role_name, role_arn, reason, requested_at, expires_at, credentials_expire_at, ended_at, ended_by, end_reason)
                    SELECT id, 'Revoked', 'filler', 'filler@example.com', @role, @roleArn, 'filling the deny', now() - interval '2 hours', now() - interval '1 hour',
                           now() + interval '30 minutes', now() - interval '1 hour', 'breakglass', 'the grant window ended'
                    FROM filler RETURNING id)
                INSERT INTO role_denies (role_arn, grant_id, credentials_expire_at) SELECT @deniedRoleArn, id, now() + interval '30 minutes' FROM inserted
                """, new { role, roleArn, deniedRoleArn = RoleArn.Canonical(roleArn) });
        }
        using var alice = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("alice")));
        var ended = await (await alice.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        using var endedSession = new EngineerSession(fixture.AwsEndpoint, ended["credentials"]!);

        var revoked = await (await alice.RevokeAsync((string)ended["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Equal("Revoked", (string?)revoked["status"]);
        Assert.False(await endedSession.IsHonouredAsync());
        var deny = DenyPolicy.Parse((await FrontIam().GetRolePolicyAsync(RoleArn.RoleName(roleArn), DenyPolicy.PolicyName))!);
        Assert.NotNull(deny.RevokeSessionsIssuedBefore);
        Assert.Equal([Guid.Parse((string)ended["id"]!)], deny.GrantIds);
        // The cut-off also refuses the role's other live session; its engineer gets fresh credentials, which work.
        Assert.False(await keptSession.IsHonouredAsync());
        var fresh = await (await bob.PostAsync($"/api/grants/{(string)kept["id"]!}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);
        using var freshSession = new EngineerSession(fixture.AwsEndpoint, fresh["credentials"]!);
        Assert.True(await freshSession.IsHonouredAsync());
        await using (var database = Npgsql.NpgsqlDataSource.Create(fixture.ConnectionString))
        await using (var connection = await database.OpenConnectionAsync())
        {
            Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection,
                "SELECT count(*) FROM audit_events WHERE event_type = 'role.sessions_cut_off' AND data::jsonb->>'roleArn' = @roleArn", new { roleArn }));
            Assert.Equal(1, await Dapper.SqlMapper.ExecuteScalarAsync<int>(connection,
                "SELECT count(*) FROM role_denies WHERE role_arn = @roleArn", new { roleArn }));
        }
    }

    private IamClient FrontIam() =>
        MotoIam.Client(new BreakGlass.Aws.AwsEnvironment(
            new Amazon.Runtime.BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey),
            Amazon.RegionEndpoint.USEast1, fixture.AwsEndpoint));
}
