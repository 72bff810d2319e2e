using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BreakGlass.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BreakGlass.Tests.Auth;

/// <summary>
/// Sign-in at an IdP that is not the development provider: the service knows it only by <c>Auth:Authority</c>, and a
/// client that follows the service's published configuration signs people in there with the standard flows.
/// </summary>
public sealed class IndependentProviderTests(IndependentProviderFixture fixture) : IClassFixture<IndependentProviderFixture>
{
    [Fact]
    public async Task TheServicePublishesTheOtherProvidersSignIn()
    {
        using var anonymous = fixture.Client(null);

        var configuration = await anonymous.GetFromJsonAsync<JsonElement>("/.well-known/breakglass-configuration");

        Assert.Equal(fixture.Provider.Issuer.ToString(), configuration.GetProperty("authority").GetString());
        Assert.Equal(IndependentProvider.ClientId, configuration.GetProperty("clientId").GetString());
        Assert.Equal(IndependentProvider.Scopes.Split(' '), configuration.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        Assert.Equal(IndependentProvider.Audience, configuration.GetProperty("audience").GetString());
    }

    [Theory]
    [InlineData("olivia", "/api/roles", "/api/reviews")]
    [InlineData("rex", "/api/reviews", "/api/roles")]
    [InlineData("ada", "/api/audit/verify", "/api/roles")]
    public async Task ADeviceSignInFollowingThePublishedConfigurationIsAcceptedWithTheRightRole(string username, string allowed, string refused)
    {
        var tokens = await DeviceSignInAsync(username, scopes: null);
        using var api = fixture.Client(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(allowed)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(refused)).StatusCode);
        var token = new JsonWebToken(tokens.AccessToken);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal(IndependentProvider.SubjectOf(username), token.Subject);
    }

    [Fact]
    public async Task TheRequesterIsKnownByTheOtherProvidersSubjectAndShownByItsUsername()
    {
        var tokens = await DeviceSignInAsync("olivia", scopes: null);
        using var api = fixture.Client(tokens.AccessToken);

        using var created = await api.PostAsJsonAsync("/api/grants",
            new { role = fixture.TakeDedicatedRole(), durationMinutes = 15, reason = "Signed in at another IdP: checking the grant's owner" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var grant = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(IndependentProvider.SubjectOf("olivia"), grant.GetProperty("requester").GetString());
        Assert.Equal("olivia", grant.GetProperty("requesterName").GetString());
    }

    [Fact]
    public async Task ATokenAskedForWithoutTheApiScopeIsNotForBreakGlassAndIsRefused()
    {
        var tokens = await DeviceSignInAsync("olivia", scopes: "openid offline_access");
        using var api = fixture.Client(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/roles")).StatusCode);
    }

    [Fact]
    public async Task ARefreshAtTheOtherProviderKeepsTheSessionGoing()
    {
        var first = await DeviceSignInAsync("rex", scopes: null);
        using var client = new OidcTestClient(fixture.Provider.Issuer, IndependentProvider.ClientId);

        using var refreshed = await client.RefreshAsync(first.RefreshToken!);

        using var api = fixture.Client((await OidcTestClient.ReadTokensAsync(refreshed)).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/reviews")).StatusCode);
    }

    /// <summary>What the CLI does: read the service's configuration, discover the IdP, run the device flow.</summary>
    private async Task<TokenSet> DeviceSignInAsync(string username, string? scopes)
    {
        using var anonymous = fixture.Client(null);
        var configuration = await anonymous.GetFromJsonAsync<JsonElement>("/.well-known/breakglass-configuration");
        using var client = new OidcTestClient(new Uri(configuration.GetProperty("authority").GetString()!), configuration.GetProperty("clientId").GetString()!);
        var published = string.Join(' ', configuration.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        return await client.SignInWithDeviceAsync(scopes ?? published, code => fixture.Provider.ApproveDeviceAsync(code, username));
    }
}
