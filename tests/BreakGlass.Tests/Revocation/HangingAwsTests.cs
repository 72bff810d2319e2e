using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Revocation;

/// <summary>
/// BreakGlass whose every AWS call goes through a <see cref="StallingProxy"/> to moto, with a 1-second IAM timeout
/// so a hanging endpoint costs seconds, not minutes.
/// </summary>
public class StallingAwsFixture : BreakGlassFixture
{
    public StallingAwsFixture()
    {
        Proxy = new StallingProxy(() => Moto.Endpoint);
        Overrides["AWS_ENDPOINT_URL"] = Proxy.Endpoint.ToString();
        Overrides["Revocation__IamTimeoutSeconds"] = "1";
        Overrides["Revocation__AlertAfterAttempts"] = "2";
    }

    internal StallingProxy Proxy { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

public sealed class HangingAwsTests(StallingAwsFixture fixture) : IClassFixture<StallingAwsFixture>
{
    private static readonly TimeSpan Patience = Eventually.Patience;

    [Fact]
    public async Task AHangingIamEndpointDrivesTheGrantToRevocationFailedWithoutStoppingTheHostAndItRecovers()
    {
        fixture.Proxy.Forward();
        var role = fixture.TakeDedicatedRole();
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var created = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        using var session = new EngineerSession(fixture.Moto, created["credentials"]!);

        // IAM accepts the connection and never answers: every attempt ends in HttpClient's timeout.
        fixture.Proxy.Hang();
        var ending = await (await client.RevokeAsync(id, "done, but the path to IAM hangs")).ReadObjectAsync(HttpStatusCode.OK);
        // The sweeper may have counted the second failed attempt while the early end made the first.
        Assert.Contains((string?)ending["status"], new[] { "Revoking", "RevocationFailed" });
        var failed = await client.WaitForStatusAsync(id, "RevocationFailed", Patience);

        Assert.Equal("RevocationFailed", failed.Status);
        Assert.Contains("TaskCanceledException", failed.LastRevocationError, StringComparison.Ordinal);
        Assert.True(fixture.Proxy.Hung > 0, "the requests reached the hanging endpoint");
        // The line is logged right after the state commits; the test reads the process's output asynchronously.
        Assert.True(await Eventually.TrueAsync(
            () => fixture.Log.Any(line => line.Contains($"ALERT revocation of grant {id}", StringComparison.Ordinal)), Patience));
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'grant.revocation_failed'", ("id", Guid.Parse(id))));
        Assert.True(await session.IsHonouredAsync(), "the deny never reached IAM: this is exactly why the state is alerted");

        // The sweepers kept running through the timeouts: the same process still serves and still sweeps.
        var passesBefore = fixture.Proxy.Hung;
        Assert.True(await Eventually.TrueAsync(() => fixture.Proxy.Hung > passesBefore, Patience), "the sweeper keeps retrying");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.DoesNotContain(fixture.Log, line => line.Contains("Hosting failed", StringComparison.Ordinal)
                                                   || line.Contains("BackgroundService failed", StringComparison.Ordinal));

        fixture.Proxy.Forward();
        var revoked = await client.WaitForStatusAsync(id, "Revoked", Patience);
        Assert.Equal("Revoked", revoked.Status);
        Assert.Null(revoked.LastRevocationError);
        Assert.False(await session.IsHonouredAsync());
    }

    [Fact]
    public async Task AClientThatHangsUpDuringAssumeRoleStillGetsItsGrantIssuedAndRecorded()
    {
        var engineer = TestIdentityProvider.NewUser();
        var key = Guid.NewGuid().ToString();
        var role = fixture.TakeDedicatedRole();
        fixture.Proxy.Delay(TimeSpan.FromSeconds(3));
        using (var impatient = fixture.Client(fixture.Idp.Requester(engineer)))
        {
            impatient.Timeout = TimeSpan.FromSeconds(1);
            await Assert.ThrowsAsync<TaskCanceledException>(() => impatient.BreakGlassAsync(role, idempotencyKey: key));
        }

        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT status FROM grants WHERE requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))) == "Active", Patience));
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM grant_credentials c JOIN grants g ON g.id = c.grant_id WHERE g.requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))));

        // The retry the engineer makes gets the same grant, with working credentials.
        fixture.Proxy.Forward();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var replayed = await (await client.BreakGlassAsync(role, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);
        Assert.Equal("Active", (string?)replayed["status"]);
        Assert.Equal(1L, await Database.GrantCountAsync(fixture, engineer));
        using var session = new EngineerSession(fixture.Moto, replayed["credentials"]!);
        Assert.True(await session.IsHonouredAsync());
    }

    [Fact]
    public async Task AKeyMintedWhileTheDatabaseIsUnreachableIsRecordedOnceItAnswersAndTheGrantFails()
    {
        var engineer = TestIdentityProvider.NewUser();
        var role = fixture.TakeDedicatedRole();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        fixture.Proxy.Delay(TimeSpan.FromSeconds(8));
        var inFlight = client.BreakGlassAsync(role, idempotencyKey: Guid.NewGuid().ToString());
        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<string?>(fixture.ConnectionString,
            "SELECT status FROM grants WHERE requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))) == "Issuing", Patience));
        var id = await Database.ScalarAsync<Guid>(fixture.ConnectionString, "SELECT id FROM grants WHERE requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer)));

        // While STS is answering, the database goes away: the minted key cannot be recorded, so it is withheld.
        var database = new Npgsql.NpgsqlConnectionStringBuilder(fixture.ConnectionString).Database!;
        var admin = (await PostgresServer.GetAsync()).AdminConnectionString;
        await Database.ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        await Database.ExecuteAsync(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database", ("database", database));
        HttpResponseMessage withheld;
        try
        {
            withheld = await inFlight;
        }
        finally
        {
            await Database.ExecuteAsync(admin, $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
            fixture.Proxy.Forward();
            // This process's idle connections to the database were terminated too.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withheld.StatusCode);

        Assert.True(await Eventually.TrueAsync(async () => await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT status FROM grants WHERE id = @id", ("id", id)) == "Failed", Patience));
        var accessKeyId = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT access_key_id FROM grant_credentials WHERE grant_id = @id", ("id", id));
        Assert.Contains(accessKeyId, await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT data FROM audit_events WHERE grant_id = @id AND event_type = 'grant.credentials_withheld'", ("id", id)), StringComparison.Ordinal);
    }
}
