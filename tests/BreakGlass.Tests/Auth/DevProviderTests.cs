using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BreakGlass.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace BreakGlass.Tests.Auth;

/// <summary>
/// The development OpenID provider as the quick start runs it, and BreakGlass trusting it through discovery: the
/// standard flows a CLI and a browser use, each ending in a token the service accepts with the right role.
/// </summary>
public sealed class DevProviderTests(DevProviderFixture fixture) : IClassFixture<DevProviderFixture>
{
    private static readonly Uri CliRedirect = new($"http://127.0.0.1:{FreePort.Next()}/callback");

    [Fact]
    public async Task TheSignInConfigurationIsAnonymousAndNamesExactlyWhatAClientNeeds()
    {
        using var anonymous = fixture.Client(null);

        var response = await anonymous.GetAsync("/.well-known/breakglass-configuration");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl is { Public: true, MaxAge: not null });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["authority", "clientId", "scopes", "audience"], body.EnumerateObject().Select(property => property.Name));
        Assert.Equal(fixture.Provider.Issuer.ToString(), body.GetProperty("authority").GetString());
        Assert.Equal(DevProvider.CliClientId, body.GetProperty("clientId").GetString());
        Assert.Equal(DevProvider.Scopes.Split(' '), body.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        Assert.Equal(TestIdentityProvider.Audience, body.GetProperty("audience").GetString());
    }

    [Fact]
    public async Task TheSignInConfigurationIsInTheOpenApiDocument()
    {
        using var anonymous = fixture.Client(null);

        var paths = (await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");

        var operation = paths.GetProperty("/.well-known/breakglass-configuration").GetProperty("get");
        Assert.True(operation.GetProperty("responses").TryGetProperty("200", out _));
        Assert.True(operation.GetProperty("responses").TryGetProperty("404", out _));
    }

    [Fact]
    public async Task DiscoveryOffersDeviceCodeAndRefreshGrantsWithPkceS256Only()
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);

        var discovery = await client.DiscoveryAsync();

        Assert.Equal(fixture.Provider.Issuer.ToString(), discovery.GetProperty("issuer").GetString());
        Assert.Equal(
            ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
            discovery.GetProperty("grant_types_supported").EnumerateArray().Select(grant => grant.GetString()).Order());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(method => method.GetString()));
        foreach (var endpoint in new[] { "device_authorization_endpoint", "authorization_endpoint", "token_endpoint", "jwks_uri" })
        {
            Assert.StartsWith(fixture.Provider.Issuer.ToString(), discovery.GetProperty(endpoint).GetString());
        }
    }

    [Theory]
    [InlineData("alice", "/api/roles", "/api/reviews")]
    [InlineData("carol", "/api/reviews", "/api/roles")]
    [InlineData("dave", "/api/audit/verify", "/api/reviews")]
    public async Task ADeviceSignInGivesEachDevelopmentUserTheirRoleAndNoOther(string user, string allowed, string refused)
    {
        var tokens = await fixture.SignInAsync(user);
        using var client = fixture.Client(tokens.AccessToken);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(allowed)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(refused)).StatusCode);
    }

    [Fact]
    public async Task TheAccessTokenIsAPlainJwtWithTheClaimsBreakGlassReads()
    {
        var token = new JsonWebToken((await fixture.SignInAsync("alice")).AccessToken);

        Assert.Equal(fixture.Provider.Issuer.ToString(), token.Issuer);
        Assert.Equal([TestIdentityProvider.Audience], token.Audiences);
        Assert.Equal(TestIdentityProvider.SubjectOf(DevProvider.Alice.Email), token.Subject);
        Assert.Equal(DevProvider.Alice.Email, token.GetClaim("email").Value);
        Assert.Equal("true", token.GetClaim("email_verified").Value);
        Assert.Equal([TestIdentityProvider.RequesterGroup], token.Claims.Where(claim => claim.Type == "groups").Select(claim => claim.Value));
    }

    [Fact]
    public async Task ARefusedDeviceSignInEndsInAccessDenied()
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);
        var device = await client.StartDeviceAuthorizationAsync(DevProvider.Scopes);

        await browser.RefuseDeviceAsync(device.UserCode);

        using var response = await client.RedeemDeviceCodeAsync(device.DeviceCode);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("access_denied", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task CodeWithPkceOnALoopbackRedirectWorksOnAnyPort()
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);

        foreach (var redirect in new[] { CliRedirect, new Uri($"http://127.0.0.1:{FreePort.Next()}/callback") })
        {
            var request = await client.CreateAuthorizationRequestAsync(redirect, DevProvider.Scopes);
            var back = await browser.SignInAsync(request.Url, "alice");

            Assert.Equal(redirect.GetLeftPart(UriPartial.Path), back.GetLeftPart(UriPartial.Path));
            Assert.Equal(request.State, OidcTestClient.QueryValue(back, "state"));
            using var redeemed = await client.RedeemCodeAsync(OidcTestClient.QueryValue(back, "code")!, redirect, request.CodeVerifier);
            var tokens = await OidcTestClient.ReadTokensAsync(redeemed);
            using var api = fixture.Client(tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/roles")).StatusCode);
        }
    }

    [Fact]
    public async Task ACodeIsRefusedWithAWrongPkceVerifier()
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);
        var request = await client.CreateAuthorizationRequestAsync(CliRedirect, DevProvider.Scopes);
        var other = await client.CreateAuthorizationRequestAsync(CliRedirect, DevProvider.Scopes);
        var back = await browser.SignInAsync(request.Url, "alice");

        using var response = await client.RedeemCodeAsync(OidcTestClient.QueryValue(back, "code")!, CliRedirect, other.CodeVerifier);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_grant", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("plain", "The specified &#x27;code_challenge_method&#x27; is not supported.")]
    [InlineData(null, "The mandatory &#x27;code_challenge&#x27; parameter is missing.")]
    public async Task AnAuthorizationRequestWithoutAnS256ChallengeIsRefusedBeforeAnyoneIsChosen(string? method, string expected)
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);
        var request = await client.CreateAuthorizationRequestAsync(CliRedirect, DevProvider.Scopes);
        var weakened = method is null
            ? System.Text.RegularExpressions.Regex.Replace(request.Url.ToString(), "&code_challenge(_method)?=[^&]*", "")
            : request.Url.ToString().Replace("code_challenge_method=S256", $"code_challenge_method={method}", StringComparison.Ordinal);

        var (status, html) = await browser.GetPageAsync(new Uri(weakened));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARefreshTokenGivesAFreshAccessTokenTheServiceAccepts()
    {
        var first = await fixture.SignInAsync("carol");
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);

        using var refreshed = await client.RefreshAsync(first.RefreshToken!);

        var second = await OidcTestClient.ReadTokensAsync(refreshed);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        using var api = fixture.Client(second.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/reviews")).StatusCode);
    }

    [Fact]
    public async Task TheWebClientSignsInWithItsSecretOnTheServicesCallback()
    {
        var callback = new Uri(fixture.Service.BaseAddress, DevProviderFixture.WebCallbackPath);
        using var web = new OidcTestClient(fixture.Provider.Issuer, DevProvider.WebClientId, fixture.Provider.WebClientSecret);
        using var withoutSecret = new OidcTestClient(fixture.Provider.Issuer, DevProvider.WebClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);
        var request = await web.CreateAuthorizationRequestAsync(callback, "openid profile email");
        var back = await browser.SignInAsync(request.Url, "dave");
        var code = OidcTestClient.QueryValue(back, "code")!;

        using var refused = await withoutSecret.RedeemCodeAsync(code, callback, request.CodeVerifier);
        using var redeemed = await web.RedeemCodeAsync(code, callback, request.CodeVerifier);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_client", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        var tokens = await OidcTestClient.ReadTokensAsync(redeemed);
        Assert.NotNull(tokens.IdToken);
        using var api = fixture.Client(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/audit/verify")).StatusCode);
    }

    [Fact]
    public async Task ARedirectThatIsNotRegisteredGetsADevelopmentErrorPageNotARedirect()
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);
        var request = await client.CreateAuthorizationRequestAsync(new Uri("https://attacker.example/callback"), DevProvider.Scopes);

        var (status, html) = await browser.GetPageAsync(request.Url);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("DEVELOPMENT ONLY", html, StringComparison.Ordinal);
        Assert.Contains("redirect_uri", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPageSaysItIsForDevelopment()
    {
        using var client = new OidcTestClient(fixture.Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(fixture.Provider);
        var device = await client.StartDeviceAuthorizationAsync(DevProvider.Scopes);
        var authorize = await client.CreateAuthorizationRequestAsync(CliRedirect, DevProvider.Scopes);

        foreach (var page in new[]
                 {
                     fixture.Provider.Issuer, device.VerificationUri, device.VerificationUriComplete!, authorize.Url,
                     new Uri(fixture.Provider.Issuer, "connect/verify?user_code=NOT-A-CODE"), new Uri(fixture.Provider.Issuer, "connect/verify/done"),
                     new Uri(fixture.Provider.Issuer, "no/such/page"),
                 })
        {
            var (_, html) = await browser.GetPageAsync(page);
            Assert.Contains("DEVELOPMENT ONLY", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheProviderRefusesToListenAnywhereButLoopback()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ChildProcess.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "BreakGlass.DevIssuer.dll"), "serve", "--state", fixture.Provider.StateDirectory,
             "--port", $"{FreePort.Next()}", "--address", "0.0.0.0"]));

        Assert.Contains("exited 2", refused.Message, StringComparison.Ordinal);
        Assert.Contains("loopback address only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARestartedProviderKeepsItsSigningKeySoTokensIssuedBeforeStayValid()
    {
        var before = await fixture.SignInAsync("alice");

        await fixture.Provider.RestartAsync();

        using var issuedBefore = fixture.Client(before.AccessToken);
        using var issuedAfter = fixture.Client((await fixture.SignInAsync("alice")).AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await issuedBefore.GetAsync("/api/roles")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await issuedAfter.GetAsync("/api/roles")).StatusCode);
        Assert.Equal(new JsonWebToken(before.AccessToken).Kid, new JsonWebToken((await fixture.SignInAsync("carol")).AccessToken).Kid);
    }
}
