using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// An OpenID provider that is NOT the development one, for "BreakGlass signs people in at another IdP" tests:
/// OpenIddict's server hosted in the test process on a real loopback socket, shaped unlike the development provider
/// the way company IdPs differ — a realm path in its issuer (Keycloak-like endpoints), ES256 keys that exist only in
/// memory, its own client id, opaque subjects, groups under <see cref="GroupsClaim"/>, and an access token whose
/// <c>aud</c> is a URL granted only with the <see cref="ApiScope"/> scope (as Entra ID's <c>api://…/.default</c>).
/// <list type="bullet">
/// <item><see cref="IndependentProviderFixture"/>: a BreakGlass service configured for it through discovery only.</item>
/// <item>Device flow: any client (the CLI, <see cref="OidcTestClient"/>) starts it; the person's step is
/// <see cref="ApproveDeviceAsync"/> (user code + <see cref="Olivia"/>/<see cref="Rex"/>/<see cref="Ada"/>'s username).</item>
/// <item>Code + PKCE: <see cref="SignInAsync"/> opens an authorization URL as a user and returns the redirect back.</item>
/// </list>
/// </summary>
internal sealed class IndependentProvider : IAsyncDisposable
{
    public const string RealmPath = "/realms/operations";
    public const string ClientId = "ops-breakglass";
    public const string ApiScope = "breakglass.api";
    public const string Scopes = "openid offline_access " + ApiScope;
    public const string Audience = "https://breakglass.ops.example/api";
    public const string GroupsClaim = "team_memberships";
    public const string DisplayNameClaim = Claims.PreferredUsername;

    /// <summary>Requester, reviewer, auditor: the test IdP's group names, under this provider's claim.</summary>
    public static readonly IndependentUser Olivia = new("olivia", [TestIdentityProvider.RequesterGroup]);
    public static readonly IndependentUser Rex = new("rex", [TestIdentityProvider.ReviewerGroup]);
    public static readonly IndependentUser Ada = new("ada", [TestIdentityProvider.AuditorGroup]);
    private static readonly IndependentUser[] People = [Olivia, Rex, Ada];

    private const string VerificationPath = "/device";
    private const string VerifiedPath = "/device/done";

    private readonly WebApplication _app;
    private readonly HttpClient _browser = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = Eventually.Patience };

    private IndependentProvider(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    /// <summary>The issuer, with its realm path: what <c>Auth:Authority</c> and <c>Auth:Issuer</c> name.</summary>
    public Uri Issuer { get; }

    public static async Task<IndependentProvider> StartAsync()
    {
        var port = FreePort.Next();
        var issuer = new Uri($"http://127.0.0.1:{port}{RealmPath}/");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var database = "independent-provider-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<IndependentProviderDb>(options => options.UseInMemoryDatabase(database).UseOpenIddict()
            .ConfigureWarnings(warnings => warnings.Ignore(InMemoryEventId.TransactionIgnoredWarning)));
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IndependentProviderDb>().DisableBulkOperations())
            .AddServer(server =>
            {
                server.SetIssuer(issuer)
                    .SetConfigurationEndpointUris(".well-known/openid-configuration")
                    .SetJsonWebKeySetEndpointUris("protocol/openid-connect/certs")
                    .SetAuthorizationEndpointUris("protocol/openid-connect/auth")
                    .SetDeviceAuthorizationEndpointUris("protocol/openid-connect/auth/device")
                    .SetTokenEndpointUris("protocol/openid-connect/token")
                    .SetEndUserVerificationEndpointUris(VerificationPath[1..]);
                server.AllowDeviceAuthorizationFlow().AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.Split(' '));
                server.AddSigningKey(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "ops-" + Guid.NewGuid().ToString("N")[..8] })
                    .AddEphemeralEncryptionKey()
                    .DisableAccessTokenEncryption();
                server.UseAspNetCore().DisableTransportSecurityRequirement()
                    .EnableAuthorizationEndpointPassthrough().EnableEndUserVerificationEndpointPassthrough();
            });
        var app = builder.Build();
        // Every endpoint lives under the realm, as in Keycloak.
        app.UsePathBase(RealmPath);
        app.UseAuthentication();
        app.MapPost(VerificationPath, (Delegate)VerifyAsync);
        app.MapGet(VerificationPath, () => Results.Text("POST user_code and username to sign a device in.", statusCode: StatusCodes.Status200OK));
        app.MapGet(VerifiedPath, () => Results.Text("signed in"));
        app.MapGet("/protocol/openid-connect/auth", Authorize);
        await app.StartAsync();
        await RegisterClientAsync(app.Services);
        return new IndependentProvider(app, issuer);
    }

    /// <summary>The device flow's human step: <paramref name="username"/> approves <paramref name="userCode"/>.</summary>
    public async Task ApproveDeviceAsync(string userCode, string username)
    {
        using var response = await _browser.PostAsync(new Uri(Issuer, VerificationPath[1..]),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = userCode, ["username"] = username }));
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"the independent provider refused the device approval ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Opens <paramref name="authorizeUrl"/> signed in as <paramref name="username"/>; returns the redirect back to the client.</summary>
    public async Task<Uri> SignInAsync(Uri authorizeUrl, string username)
    {
        using var response = await _browser.GetAsync($"{authorizeUrl}&username={Uri.EscapeDataString(username)}");
        return response.Headers.Location ?? throw new InvalidOperationException(
            $"the independent provider did not redirect ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The <c>sub</c> this provider gives <paramref name="username"/>: opaque, unlike an email.</summary>
    public static string SubjectOf(string username) => new Guid(MD5.HashData(System.Text.Encoding.UTF8.GetBytes(username))).ToString();

    private static async Task RegisterClientAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            RedirectUris = { new Uri("http://127.0.0.1/"), new Uri("http://127.0.0.1/callback") },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.DeviceAuthorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.DeviceCode, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code, Permissions.Prefixes.Scope + ApiScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(client);
    }

    private static async Task<IResult> VerifyAsync(HttpContext http)
    {
        var device = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var person = People.FirstOrDefault(candidate => candidate.Username == http.Request.Form["username"].ToString());
        if (!device.Succeeded || person is null) return Results.Text("unknown user code or username", statusCode: StatusCodes.Status400BadRequest);
        return Results.SignIn(Principal(person, device.Principal!.GetScopes()), new AuthenticationProperties { RedirectUri = RealmPath + VerifiedPath },
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()!;
        var person = People.FirstOrDefault(candidate => candidate.Username == (string?)request["username"]);
        return person is null
            ? Results.Text("this test provider signs in whoever ?username= names", statusCode: StatusCodes.Status400BadRequest)
            : Results.SignIn(Principal(person, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static ClaimsPrincipal Principal(IndependentUser person, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, SubjectOf(person.Username))
            .SetClaim(Claims.PreferredUsername, person.Username)
            .SetClaim(Claims.Email, $"{person.Username}@ops.example")
            .SetClaim(Claims.EmailVerified, true)
            .SetClaims(GroupsClaim, [.. person.Groups]);
        identity.SetScopes(scopes);
        // Like Entra ID: the API is an audience only for a token asked for with its scope.
        if (identity.HasScope(ApiScope)) identity.SetResources(Audience);
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return new ClaimsPrincipal(identity);
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    private sealed class IndependentProviderDb(DbContextOptions<IndependentProviderDb> options) : DbContext(options);
}

internal sealed record IndependentUser(string Username, IReadOnlyList<string> Groups);

/// <summary>A BreakGlass service that knows <see cref="IndependentProvider"/> only by its authority (OIDC discovery).</summary>
public sealed class IndependentProviderFixture : BreakGlassFixture
{
    internal IndependentProvider Provider { get; private set; } = null!;

    private protected override async Task BeforeServiceStartsAsync()
    {
        Provider = await IndependentProvider.StartAsync();
        var issuer = Provider.Issuer.ToString();
        Overrides["Auth__SigningKeysFile"] = "";
        Overrides["Auth__Authority"] = issuer;
        Overrides["Auth__Issuer"] = issuer;
        Overrides["Auth__Audience"] = IndependentProvider.Audience;
        Overrides["Auth__RoleClaim"] = IndependentProvider.GroupsClaim;
        Overrides["Auth__DisplayNameClaim"] = IndependentProvider.DisplayNameClaim;
        Overrides["Auth__Cli__ClientId"] = IndependentProvider.ClientId;
        Overrides["Auth__Cli__Scopes"] = IndependentProvider.Scopes;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}
