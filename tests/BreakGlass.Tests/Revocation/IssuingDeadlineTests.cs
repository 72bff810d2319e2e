using System.Net;
using BreakGlass.Aws.Iam;
using BreakGlass.Revocation;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Revocation;

/// <summary>A stalling AWS path and a 20-second Issuing deadline (120 by default): STS gets 10 seconds of it.</summary>
public sealed class ShortIssuingDeadlineFixture : StallingAwsFixture
{
    public ShortIssuingDeadlineFixture() => Overrides["Revocation__IssuingDeadlineSeconds"] = "20";
}

public sealed class IssuingDeadlineTests(ShortIssuingDeadlineFixture fixture) : IClassFixture<ShortIssuingDeadlineFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task AGrantLeftIssuingByACrashFailsAtTheDeadlineAnswersItsIdempotencyKeyAndIsStillDenied()
    {
        var role = fixture.TakeDedicatedRole();
        var engineer = TestIdentityProvider.NewUser();
        var key = Guid.NewGuid().ToString();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        client.Timeout = TimeSpan.FromMinutes(5);

        // One grant through a working path first: the broker's own identity is known before STS starts to hang.
        using (var warmUp = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser())))
        {
            await (await warmUp.BreakGlassAsync(fixture.TakeDedicatedRole(), minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
        }

        // STS hangs; the instance dies while AssumeRole is in flight, so nothing in it can finish the grant.
        fixture.Proxy.Hang();
        var inFlight = client.BreakGlassAsync(role, minutes: 1, idempotencyKey: key);
        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<string?>(fixture.ConnectionString,
            "SELECT status FROM grants WHERE requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))) == "Issuing", Patience));
        fixture.Service.Kill();
        // The connection dies with the process (on a loaded machine the client may see that as its own cancellation).
        var lost = await Record.ExceptionAsync(() => inFlight);
        Assert.True(lost is HttpRequestException or TaskCanceledException, $"the request must die with the instance, not answer: {lost}");
        var id = await Database.ScalarAsync<Guid>(fixture.ConnectionString, "SELECT id FROM grants WHERE requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer)));

        var restarted = await fixture.StartInstanceAsync();
        using var retry = fixture.Client(fixture.Idp.Requester(engineer), restarted);
        Assert.True(await Eventually.TrueAsync(async () => await StatusAsync(id) == "Failed", Patience));

        var answer = await (await retry.BreakGlassAsync(role, minutes: 1, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.OK);
        Assert.Equal("Failed", (string?)answer["status"]);
        Assert.Equal(id.ToString(), (string?)answer["id"]);
        Assert.Contains("not issued within 20 s", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT data FROM audit_events WHERE grant_id = @id AND event_type = 'grant.failed'", ("id", id)), StringComparison.Ordinal);

        // AssumeRole may have minted credentials before the crash: at the window's end the grant is denied like any
        // other, and a failing IAM only makes that a retried, counted attempt.
        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<int>(fixture.ConnectionString,
            "SELECT revocation_attempts FROM grants WHERE id = @id", ("id", id)) >= 1, Patience));
        fixture.Proxy.Forward();
        var iam = MotoIam.Client(MotoIam.Environment(fixture.Moto, fixture.Aws.FrontAdmin));
        Assert.True(await Eventually.TrueAsync(async () =>
            await iam.GetRolePolicyAsync(RoleArn.RoleName(fixture.RoleArnOf(role)), DenyPolicy.PolicyName) is { } document
            && DenyPolicy.Parse(document).GrantIds.Contains(id), Patience));
        Assert.True(await Eventually.TrueAsync(() => Database.ScalarAsync<bool>(fixture.ConnectionString,
            "SELECT last_revocation_error IS NULL FROM grants WHERE id = @id", ("id", id)), Patience));
        Assert.Equal("Failed", await StatusAsync(id));
    }

    private Task<string> StatusAsync(Guid id) =>
        Database.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM grants WHERE id = @id", ("id", id));
}
