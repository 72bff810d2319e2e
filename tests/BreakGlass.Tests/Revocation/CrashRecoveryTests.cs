using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Revocation;

public sealed class CrashRecoveryTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task AGrantIssuedBeforeACrashIsRevokedAfterTheRestart()
    {
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(role, minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var expiresAt = DateTimeOffset.Parse((string)created["expiresAt"]!);
        using var session = new EngineerSession(fixture.Moto, created["credentials"]!);

        fixture.Service.Kill();
        var untilExpired = expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
        if (untilExpired > TimeSpan.Zero) await Task.Delay(untilExpired);
        Assert.True(await session.IsHonouredAsync(), "nothing can revoke while BreakGlass is down: the session is still live");

        var restarted = await fixture.StartInstanceAsync();
        using var afterRestart = fixture.Client(fixture.Idp.Requester("unused@example.com"), restarted);
        Assert.NotNull(await session.WaitUntilRefusedAsync(Eventually.Patience));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")), restarted);
        var revoked = await reviewer.WaitForStatusAsync(id, "Revoked", Eventually.Patience);
        Assert.Equal("Revoked", revoked.Status);
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'grant.revoked'", ("id", Guid.Parse(id))));
    }
}

public sealed class LostJobTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task TheSweeperRevokesAGrantWhoseJobWasLost()
    {
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(role, minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
        var id = Guid.Parse((string)created["id"]!);
        var jobId = await Database.ScalarAsync<string>(fixture.ConnectionString, "SELECT revocation_job_id FROM grants WHERE id = @id", ("id", id));
        Assert.Equal("Scheduled", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT statename FROM hangfire.job WHERE id = @jobId", ("jobId", long.Parse(jobId))));

        // Lose the job the way a storage accident would: the sweeper alone must end the session.
        await Database.ExecuteAsync(fixture.ConnectionString, "DELETE FROM hangfire.job WHERE id = @jobId", ("jobId", long.Parse(jobId)));
        using var session = new EngineerSession(fixture.Moto, created["credentials"]!);
        var expiresAt = DateTimeOffset.Parse((string)created["expiresAt"]!);

        var refusedAt = await session.WaitUntilRefusedAsync(expiresAt - DateTimeOffset.UtcNow + Eventually.Patience);

        // With its job gone only the sweeper can revoke, and never before the window ends (the lag is a benchmark).
        Assert.NotNull(refusedAt);
        Assert.True(refusedAt.Value - expiresAt >= TimeSpan.FromSeconds(-1), $"refused at {refusedAt:O}, before the window ended at {expiresAt:O}");
    }
}

public sealed class TwoInstanceTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task TwoInstancesOnOneDatabaseRevokeEveryGrantExactlyOnce()
    {
        var second = await fixture.StartInstanceAsync();
        var first = fixture.Service == second ? null : fixture.Service;
        var ids = new List<Guid>();
        var expiries = new List<DateTimeOffset>();
        for (var index = 0; index < 8; index++)
        {
            // Alternate instances, so each instance schedules jobs the other may run.
            using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()), index % 2 == 0 ? second : null);
            var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
            ids.Add(Guid.Parse((string)created["id"]!));
            expiries.Add(DateTimeOffset.Parse((string)created["expiresAt"]!));
        }
        Assert.Null(first);

        await Task.Delay(expiries.Max() - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(8));

        foreach (var id in ids)
        {
            Assert.Equal("Revoked", await Database.ScalarAsync<string>(fixture.ConnectionString, "SELECT status FROM grants WHERE id = @id", ("id", id)));
            Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
                "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'grant.revoked'", ("id", id)));
            Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
                "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'grant.ending'", ("id", id)));
        }
        Assert.Equal(2L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM hangfire.server"));
    }
}
