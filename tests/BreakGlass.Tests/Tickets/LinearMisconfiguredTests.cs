using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Tickets;

public sealed class LinearMisconfiguredTests(WrongKeyLinearFixture fixture) : IClassFixture<WrongKeyLinearFixture>
{
    [Fact]
    public async Task AKeyLinearRefusesIsAlertedOnceAndNotHammeredWhileGrantsGoAhead()
    {
        // Three engineers (one engineer may hold only Policy:MaxOpenGrantsPerRequester grants on a role).
        var grants = new List<System.Text.Json.Nodes.JsonObject>();
        for (var index = 0; index < 3; index++)
        {
            using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
            grants.Add(await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created));
        }
        // Several sweeps pass: a refused key is retried every 15 minutes, not every sweep.
        await Task.Delay(TimeSpan.FromSeconds(4));

        Assert.All(grants, grant =>
        {
            Assert.NotNull(grant["credentials"]);
            Assert.Equal("pending", (string?)grant["ticket"]!["status"]);
            Assert.Contains("authenticate", (string?)grant["ticket"]!["lastError"]);
        });
        Assert.Contains("Linear:ApiKey", (string?)grants[^1]["ticket"]!["lastError"]);
        // One request from the startup check, one from the first grant; then Linear is left alone.
        Assert.InRange(fixture.Linear.RequestCount, 1, 2);
        Assert.Single(fixture.Service.Log, line => line.Contains("ALERT Linear refuses BreakGlass", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Service.Log, line => line.Contains(WrongKeyLinearFixture.WrongKey, StringComparison.Ordinal));
        Assert.Empty(fixture.Linear.Issues);
    }
}
