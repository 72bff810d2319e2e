using System.Net;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Grants;

public sealed class IdempotencyTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task ARetryWithTheSameKeyReturnsTheSameGrantWithWorkingCredentials()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var key = Guid.NewGuid().ToString();

        var first = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);
        var retry = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);

        Assert.Equal((string?)first["id"], (string?)retry["id"]);
        Assert.NotNull(retry["credentials"]);
        Assert.Equal(1, await Database.GrantCountAsync(fixture, engineer));
    }

    [Fact]
    public async Task ConcurrentRetriesWithTheSameKeyCreateOneGrant()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)));

        Assert.Equal(1, await Database.GrantCountAsync(fixture, engineer));
        var ids = new HashSet<string>();
        foreach (var response in responses)
        {
            // A retry racing the first request is told to retry (409) or gets the same grant; never a second grant.
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict });
            if (response.StatusCode == HttpStatusCode.Created) ids.Add((string)(await response.ReadObjectAsync(HttpStatusCode.Created))["id"]!);
        }
        Assert.Single(ids);
    }

    [Fact]
    public async Task ReusingAKeyForADifferentRequestIsRefused()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var key = Guid.NewGuid().ToString();
        await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, minutes: 30, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);

        var response = await client.BreakGlassAsync(BreakGlassFixture.AdminRole, minutes: 45, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(1, await Database.GrantCountAsync(fixture, engineer));
    }

    [Fact]
    public async Task TheSameKeyFromAnotherEngineerIsTheirOwnRequest()
    {
        var key = Guid.NewGuid().ToString();
        using var alice = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("alice")));
        using var bob = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("bob")));

        var hers = await (await alice.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);
        var his = await (await bob.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);

        Assert.NotEqual((string?)hers["id"], (string?)his["id"]);
    }

    [Fact]
    public async Task ARetryAfterTheGrantEndedReturnsItWithoutCredentials()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var key = Guid.NewGuid().ToString();
        var first = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.Created);
        await (await client.RevokeAsync((string)first["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        var retry = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, idempotencyKey: key)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.Equal((string?)first["id"], (string?)retry["id"]);
        Assert.Equal("Revoked", (string?)retry["status"]);
        Assert.Null(retry["credentials"]);
    }
}
