using System.Net;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using BreakGlass.Aws.Iam;
using BreakGlass.LocalAws;
using BreakGlass.Revocation;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Revocation;

/// <summary>
/// BreakGlass whose AWS calls go through a <see cref="StallingProxy"/> to the LocalAws front, which records every call
/// (so IAM writes can be counted), with a 1-second IAM timeout and the alert at the second failed attempt.
/// </summary>
public sealed class RevocationWaveFixture : BreakGlassFixture
{
    public RevocationWaveFixture()
    {
        Proxy = new StallingProxy(() => AwsEndpoint);
        Overrides["AWS_ENDPOINT_URL"] = Proxy.Endpoint.ToString();
        Overrides["Revocation__IamTimeoutSeconds"] = "1";
        Overrides["Revocation__AlertAfterAttempts"] = "2";
    }

    internal StallingProxy Proxy { get; }

    private protected override LocalAwsOptions? LocalAwsFront => new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

/// <summary>Grants of one role that fall due together are revoked by one deny write, with every guarantee of one grant.</summary>
public sealed class RevocationWaveTests(RevocationWaveFixture fixture) : IClassFixture<RevocationWaveFixture>
{
    private const int Grants = 6;

    [Fact]
    public async Task GrantsOfOneRoleDueInTheSamePassRideOneVerifiedDenyWrite()
    {
        fixture.Proxy.Forward();
        var role = fixture.TakeDedicatedRole();
        var ids = await BreakGlassAsync(role);
        var writesBefore = DenyWrites(role);

        await EndWindowsNowAsync(ids);

        Assert.True(await Eventually.TrueAsync(() => CountAsync(ids, "Revoked"), Eventually.Patience), "the wave was revoked");
        Assert.Equal(1, DenyWrites(role) - writesBefore);
        var document = await BrokerIam().GetRolePolicyAsync(RoleArn.RoleName(fixture.RoleArnOf(role)), DenyPolicy.PolicyName);
        Assert.Equal(ids.Order(), DenyPolicy.Parse(document!).GrantIds.Order());
        foreach (var id in ids)
        {
            // Each grant's own chain says its deny was read back from IAM, and that it rode a wave of all of them.
            var verified = await Database.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT data FROM audit_events WHERE grant_id = @id AND event_type = 'deny.verified'", ("id", id));
            Assert.Contains(DenyPolicy.GrantTagValue(id), verified, StringComparison.Ordinal);
            var revoked = JsonNode.Parse(await Database.ScalarAsync<string>(fixture.ConnectionString,
                "SELECT data FROM audit_events WHERE grant_id = @id AND event_type = 'grant.revoked'", ("id", id)))!;
            Assert.Equal(Grants, (int)revoked["wave"]!);
        }
    }

    [Fact]
    public async Task AFailedWaveWriteMarksEveryGrantOfItRevocationFailedWithAnAlertAndTheNextWaveRecoversThemAll()
    {
        fixture.Proxy.Forward();
        var role = fixture.TakeDedicatedRole();
        var ids = await BreakGlassAsync(role);

        fixture.Proxy.Hang();
        await EndWindowsNowAsync(ids);

        Assert.True(await Eventually.TrueAsync(() => CountAsync(ids, "RevocationFailed"), Eventually.Patience), "every grant of the wave failed");
        foreach (var id in ids)
        {
            Assert.True(await Eventually.TrueAsync(
                () => fixture.Log.Any(line => line.Contains($"ALERT revocation of grant {id}", StringComparison.Ordinal)), Eventually.Patience));
            Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
                "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'grant.revocation_failed'", ("id", id)));
        }

        fixture.Proxy.Forward();
        Assert.True(await Eventually.TrueAsync(() => CountAsync(ids, "Revoked"), Eventually.Patience), "the next wave revoked them all");
        var document = await BrokerIam().GetRolePolicyAsync(RoleArn.RoleName(fixture.RoleArnOf(role)), DenyPolicy.PolicyName);
        Assert.Equal(ids.Order(), DenyPolicy.Parse(document!).GrantIds.Order());
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM grants WHERE id = ANY(@ids) AND last_revocation_error IS NOT NULL", ("ids", ids)));
    }

    private async Task<Guid[]> BreakGlassAsync(string role)
    {
        var ids = new List<Guid>();
        for (var index = 0; index < Grants; index++)
        {
            using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("wave")));
            var created = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
            ids.Add(Guid.Parse((string)created["id"]!));
        }
        return [.. ids];
    }

    // One statement, so the sweeper's next pass finds every window over at once (their scheduled jobs are an hour away).
    private Task EndWindowsNowAsync(Guid[] ids) =>
        Database.ExecuteAsync(fixture.ConnectionString, "UPDATE grants SET expires_at = requested_at + interval '1 millisecond' WHERE id = ANY(@ids)", ("ids", ids));

    private async Task<bool> CountAsync(Guid[] ids, string status) =>
        await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM grants WHERE id = ANY(@ids) AND status = @status", ("ids", ids), ("status", status)) == ids.Length;

    private int DenyWrites(string role)
    {
        var roleName = RoleArn.RoleName(fixture.RoleArnOf(role));
        return fixture.Front!.Events.Matching(call => call.EventName == "PutRolePolicy"
            && (string?)JsonNode.Parse(call.Raw)!["requestParameters"]?["roleName"] == roleName).Count;
    }

    private IamClient BrokerIam() =>
        MotoIam.Client(MotoIam.Environment(fixture.Moto, new BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey)));
}
