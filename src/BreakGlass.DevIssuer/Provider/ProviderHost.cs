using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>
/// LOCAL DEVELOPMENT ONLY: a minimal OpenID Connect provider (OpenIddict's server) for the quick start and the tests.
/// Discovery, JWKS, device authorization (RFC 8628), authorization code with PKCE (S256) for browsers and loopback
/// redirects (RFC 8252), refresh tokens. Access tokens are plain signed JWTs that BreakGlass validates through
/// discovery exactly as it would a company IdP's.
/// </summary>
public static class ProviderHost
{
    public static WebApplication Build(ProviderSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // Explicit endpoints override ASPNETCORE_URLS and any other configured address: loopback, always.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(settings.Address, settings.Port));
        builder.Services.AddSingleton(settings);
        // Requests and responses at Information would put codes and tokens in the log.
        builder.Logging.AddFilter("OpenIddict", LogLevel.Warning).AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Services.AddDbContext<ProviderDb>(database => database
            .UseInMemoryDatabase("breakglass-dev-provider")
            .UseOpenIddict()
            // The in-memory store has no transactions; OpenIddict's few are about concurrent writers, which a local provider lacks.
            .ConfigureWarnings(warnings => warnings.Ignore(InMemoryEventId.TransactionIgnoredWarning)));
        var signingKey = DevTokenIssuer.LoadOrCreate(settings.StateDirectory).SigningKey;
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<ProviderDb>().DisableBulkOperations())
            .AddServer(server =>
            {
                server.SetIssuer(settings.Issuer)
                    .SetAuthorizationEndpointUris(SignInPages.AuthorizePath[1..])
                    .SetDeviceAuthorizationEndpointUris("connect/device")
                    .SetEndUserVerificationEndpointUris(SignInPages.VerifyPath[1..])
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris(SignInPages.EndSessionPath[1..]);
                server.AllowAuthorizationCodeFlow().AllowDeviceAuthorizationFlow().AllowRefreshTokenFlow()
                    .RequireProofKeyForCodeExchange()
                    // "plain" sends the verifier in the clear in the authorization request; RFC 9700 says S256.
                    .Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));
                server.RegisterScopes(Scopes.OpenId, Scopes.Email, Scopes.Profile, Scopes.OfflineAccess);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                server.AddSigningKey(signingKey)
                    // Only refresh tokens, codes and device codes are encrypted, and they live no longer than the process's stores.
                    .AddEphemeralEncryptionKey()
                    // BreakGlass reads the access token as a signed JWT, as it would a company IdP's.
                    .DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    // A request that cannot go back to its client (e.g. an unregistered redirect URI) gets the page below.
                    .EnableStatusCodePagesIntegration();
            });
        builder.Services.AddHostedService<ClientRegistrations>();

        var app = builder.Build();
        app.UseStatusCodePages(context => Page.Problem(context.HttpContext).ExecuteAsync(context.HttpContext));
        app.UseAuthentication();
        app.MapSignInPages();
        return app;
    }
}
