using System.Net;
using BreakGlass.Aws.Iam;
using BreakGlass.Revocation;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Revocation;

/// <summary>BreakGlass checking every role's deny every 2 seconds (60 by default).</summary>
public sealed class VerifyingFixture : BreakGlassFixture
{
    public VerifyingFixture() => Overrides["Revocation__VerifySeconds"] = "2";
}

public sealed class DenyReconcilerTests(VerifyingFixture fixture) : IClassFixture<VerifyingFixture>
{
    private static readonly TimeSpan Patience = Eventually.Patience;

    [Fact]
    public async Task EveryDenyWriteIsReadBackAndRecordedInTheAuditChain()
    {
        var (id, role) = await RevokedGrantAsync();

        var verified = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT data FROM audit_events WHERE grant_id = @id AND event_type = 'deny.verified' ORDER BY sequence LIMIT 1", ("id", id));

        var document = await Administrator().GetRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName);
        Assert.Contains(DenyPolicy.GrantTagValue(id), verified, StringComparison.Ordinal);
        Assert.Contains(Sha256(document!), verified, StringComparison.Ordinal);
        Assert.Contains("\"trigger\":\"revocation\"", verified, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADenyDeletedBehindTheServicesBackIsRestoredWithAnAlertAndAnAuditEvent()
    {
        var (id, role) = await RevokedGrantAsync();
        var (session, _) = _sessions[id];

        await Administrator().DeleteRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName);
        // The reconciler looks every 2 s: on a loaded machine it may have repaired the deny before this first call.
        Assert.True(await session.IsHonouredAsync() || await DriftEventsAsync(id, 1), "with the deny deleted, the revoked session works again: this is the drift");

        Assert.NotNull(await session.WaitUntilRefusedAsync(Patience));
        Assert.True(await Eventually.TrueAsync(() => DriftEventsAsync(id, 1), Patience));
        var document = await Administrator().GetRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName);
        Assert.Contains(id, DenyPolicy.Parse(document!).GrantIds);
        Assert.Contains(fixture.Log, line => line.Contains("ALERT deny drift on " + fixture.RoleArnOf(role), StringComparison.Ordinal)
                                             && line.Contains("deleted", StringComparison.Ordinal));
        var comment = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT body FROM ticket_actions WHERE grant_id = @id AND dedupe_key LIKE 'deny-drift:%'", ("id", id));
        Assert.Contains("deleted outside BreakGlass", comment, StringComparison.Ordinal);
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id IS NULL AND event_type = 'deny.verified' AND data LIKE '%drift-repair%' AND data LIKE '%' || @role || '%'",
            ("role", fixture.RoleArnOf(role))));
    }

    [Fact]
    public async Task ADenyEditedToDropOneGrantIsRestoredAndOnlyThatGrantIsReported()
    {
        var role = fixture.TakeDedicatedRole();
        var (kept, _) = await RevokedGrantAsync(role);
        var (dropped, _) = await RevokedGrantAsync(role);
        var iam = Administrator();
        var edited = DenyPolicy.Build([new DenyPolicyEntry(kept, DateTimeOffset.UtcNow.AddHours(1))], new FakeTimeProvider(DateTimeOffset.UtcNow));

        await iam.PutRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName, edited.ToJson());

        Assert.True(await Eventually.TrueAsync(async () =>
            DenyPolicy.Parse((await iam.GetRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName))!).GrantIds.Contains(dropped), Patience));
        Assert.True(await Eventually.TrueAsync(() => DriftEventsAsync(dropped, 1), Patience));
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @kept AND event_type = 'deny.drift_repaired'", ("kept", kept)));
        var restored = DenyPolicy.Parse((await iam.GetRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName))!).GrantIds;
        Assert.Equal(new[] { kept, dropped }.Order(), restored.Order());
    }

    [Fact]
    public async Task AnIntactDenyIsLeftAloneAndRaisesNothing()
    {
        var (id, role) = await RevokedGrantAsync();
        var iam = Administrator();
        var before = await iam.GetRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName);

        // Several passes of the reconciler.
        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE event_type = 'deny.verified'") > 0, Patience));
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal(before, await iam.GetRolePolicyAsync(RoleName(role), DenyPolicy.PolicyName));
        Assert.False(await DriftEventsAsync(id, 1));
        Assert.DoesNotContain(fixture.Log, line => line.Contains("ALERT deny drift on " + fixture.RoleArnOf(role), StringComparison.Ordinal));
    }

    private readonly Dictionary<Guid, (EngineerSession Session, string Role)> _sessions = [];

    private async Task<(Guid Id, string Role)> RevokedGrantAsync(string? role = null)
    {
        role ??= fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var session = new EngineerSession(fixture.Moto, created["credentials"]!);
        var revoked = await (await client.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        Assert.Equal("Revoked", (string?)revoked["status"]);
        Assert.False(await session.IsHonouredAsync());
        _sessions[Guid.Parse(id)] = (session, role);
        return (Guid.Parse(id), role);
    }

    private async Task<bool> DriftEventsAsync(Guid grantId, long atLeast) =>
        await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @grantId AND event_type = 'deny.drift_repaired'", ("grantId", grantId)) >= atLeast;

    private IamClient Administrator() => MotoIam.Client(MotoIam.Environment(fixture.Moto, fixture.Aws.FrontAdmin));

    private string RoleName(string role) => RoleArn.RoleName(fixture.RoleArnOf(role));

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
