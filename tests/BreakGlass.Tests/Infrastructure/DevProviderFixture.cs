namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// A BreakGlass service (real PostgreSQL and moto, as <see cref="BreakGlassFixture"/>) that trusts the development
/// provider the way it trusts a company IdP: <c>Auth:Authority</c> (OIDC discovery), with <c>Auth:Cli:*</c> and
/// <c>Auth:Web:*</c> set. The web client's redirect URI is the service's <see cref="WebCallbackPath"/>, registered
/// before the service starts on the port reserved for it. Tokens come from <see cref="OidcTestClient"/> +
/// <see cref="DevProviderBrowser"/>; <c>Idp</c> tokens (the JWKS-file IdP) are NOT accepted by this service.
/// </summary>
public class DevProviderFixture : BreakGlassFixture
{
    /// <summary>Where the web pages receive the authorization code.</summary>
    public const string WebCallbackPath = "/signin-oidc";

    internal DevProvider Provider { get; private set; } = null!;

    /// <summary>People beyond alice, carol and dave that a subclass needs (e.g. <see cref="DevProvider.Engineer"/>).</summary>
    private protected virtual IEnumerable<BreakGlass.DevIssuer.DevUser> ExtraUsers => [];

    private protected override async Task BeforeServiceStartsAsync()
    {
        FirstInstancePort = FreePort.Next();
        Provider = await DevProvider.StartAsync(ExtraUsers, [new Uri($"http://127.0.0.1:{FirstInstancePort}{WebCallbackPath}")]);
        var issuer = Provider.Issuer.ToString();
        Overrides["Auth__SigningKeysFile"] = "";
        Overrides["Auth__Authority"] = issuer;
        Overrides["Auth__Issuer"] = issuer;
        Overrides["Auth__Cli__ClientId"] = DevProvider.CliClientId;
        Overrides["Auth__Cli__Scopes"] = DevProvider.Scopes;
        Overrides["Auth__Web__ClientId"] = DevProvider.WebClientId;
        Overrides["Auth__Web__ClientSecret"] = Provider.WebClientSecret!;
    }

    /// <summary>A device-flow sign-in as <paramref name="user"/>: the tokens the CLI would hold.</summary>
    internal async Task<TokenSet> SignInAsync(string user)
    {
        using var client = new OidcTestClient(Provider.Issuer, DevProvider.CliClientId);
        using var browser = new DevProviderBrowser(Provider);
        return await client.SignInWithDeviceAsync(DevProvider.Scopes, code => browser.ApproveDeviceAsync(code, user));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}
