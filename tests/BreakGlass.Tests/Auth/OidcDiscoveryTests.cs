using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BreakGlass.Tests.Auth;

/// <summary>BreakGlass trusting an IdP through OIDC discovery (<c>Auth:Authority</c>) instead of a JWKS file.</summary>
public sealed class OidcFixture : BreakGlassFixture
{
    private WebApplication? _idp;

    public override async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var authority = $"http://127.0.0.1:{port}/";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(authority);
        _idp = builder.Build();
        _idp.MapGet("/.well-known/openid-configuration", () => Results.Json(new
        {
            issuer = TestIdentityProvider.Issuer,
            jwks_uri = $"{authority}jwks",
            id_token_signing_alg_values_supported = new[] { "RS256" },
        }));
        _idp.MapGet("/jwks", () => Results.Text(File.ReadAllText(Idp.JwksFile), "application/json"));
        await _idp.StartAsync();
        Overrides["Auth__SigningKeysFile"] = "";
        Overrides["Auth__Authority"] = authority;
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        if (_idp is not null) await _idp.DisposeAsync();
        await base.DisposeAsync();
    }
}

public sealed class OidcDiscoveryTests(OidcFixture fixture) : IClassFixture<OidcFixture>
{
    [Fact]
    public async Task TokensFromTheDiscoveredIdpAreAcceptedAndOthersRefused()
    {
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var stranger = fixture.Client(DevIssuer.DevTokenIssuer.Create(Path.Combine(Path.GetTempPath(), "bg-stranger-" + Guid.NewGuid().ToString("N")))
            .Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, "x@example.com", [TestIdentityProvider.RequesterGroup], TimeSpan.FromMinutes(5)));

        var created = await engineer.BreakGlassAsync(BreakGlassFixture.AdminRole);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/roles")).StatusCode);
    }
}
