using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Revocation;

public sealed class AwsOutageTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task ARevocationThatKeepsFailingIsPersistedAlertedAndFinishedOnceAwsAnswers()
    {
        var role = fixture.TakeDedicatedRole();
        var engineer = TestIdentityProvider.NewUser();
        var healthy = fixture.Service;
        using var client = fixture.Client(fixture.Idp.Requester(engineer), healthy);
        var created = await (await client.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        using var session = new EngineerSession(fixture.Moto, created["credentials"]!);

        // The only instance left cannot reach AWS.
        fixture.Overrides["AWS_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePort.Next()}";
        var cutOff = await fixture.StartInstanceAsync();
        healthy.Kill();
        using var duringOutage = fixture.Client(fixture.Idp.Requester(engineer), cutOff);

        var ending = await (await duringOutage.RevokeAsync(id, "done, but AWS is unreachable")).ReadObjectAsync(HttpStatusCode.OK);
        Assert.Equal("Revoking", (string?)ending["status"]);
        var failed = await duringOutage.WaitForStatusAsync(id, "RevocationFailed", Eventually.Patience);
        Assert.Equal("RevocationFailed", failed.Status);
        Assert.NotNull(failed.LastRevocationError);
        // The log line is written beside the state change, not before it: it may reach the captured output a moment later.
        Assert.True(await Eventually.TrueAsync(() => fixture.Log.Any(line => line.Contains($"ALERT revocation of grant {id}", StringComparison.Ordinal)), Eventually.Patience));
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'grant.revocation_failed'", ("id", Guid.Parse(id))));
        Assert.True(await session.IsHonouredAsync(), "the deny never reached AWS: this is exactly why the state is alerted");

        // Breaking glass while STS is unreachable fails cleanly: a 502 problem and a Failed grant, never a 500 or a stuck grant.
        var refused = await duringOutage.BreakGlassAsync(fixture.TakeDedicatedRole());
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Failed", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT status FROM grants WHERE requester = @engineer ORDER BY requested_at DESC LIMIT 1", ("engineer", TestIdentityProvider.SubjectOf(engineer))));

        // AWS answers again: the sweeper keeps retrying RevocationFailed grants and finishes the job.
        fixture.Overrides.Remove("AWS_ENDPOINT_URL");
        var recovered = await fixture.StartInstanceAsync();
        cutOff.Kill();
        using var afterOutage = fixture.Client(fixture.Idp.Requester(engineer), recovered);
        var revoked = await afterOutage.WaitForStatusAsync(id, "Revoked", Eventually.Patience);
        Assert.Equal("Revoked", revoked.Status);
        Assert.Null(revoked.LastRevocationError);
        Assert.False(await session.IsHonouredAsync());
    }
}
