using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.SignIn;

/// <summary>
/// The bearer token for one service: <c>BREAKGLASS_TOKEN</c> for automation; else the cached sign-in, refreshed
/// silently; else, for a person at a terminal, a device sign-in right now; else "not signed in".
/// </summary>
internal sealed class SignInSession(CliHost host, Uri service, HttpClient http, bool maySignInInteractively)
{
    /// <summary>Tokens this close to expiry are refreshed first, so they do not lapse on the way to the service.</summary>
    private static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(60);

    private readonly TokenStore _store = new(host);

    public bool FromEnvironment => host.Variable("BREAKGLASS_TOKEN") is not null;

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        if (host.Variable("BREAKGLASS_TOKEN") is { } token) return token.Trim();
        var cached = _store.Read(service);
        if (cached is not null && cached.ExpiresAt - host.Time.GetUtcNow() > ExpiryMargin) return cached.AccessToken;
        return await RenewAsync(cached, cancellationToken);
    }

    /// <summary>The service refused the token it was given: refresh (or sign in) once more, or give up.</summary>
    public async Task<string> RenewAfterRejectionAsync(CancellationToken cancellationToken)
    {
        if (FromEnvironment)
        {
            throw new CliException(ExitCode.NotSignedIn, $"{ServiceTarget.Display(service)} refused the token in BREAKGLASS_TOKEN (expired, or for another service).");
        }
        return await RenewAsync(_store.Read(service), cancellationToken);
    }

    private async Task<string> RenewAsync(CachedTokens? cached, CancellationToken cancellationToken)
    {
        if (cached is not null)
        {
            var refreshed = await RefreshQuietlyAsync(cached, cancellationToken);
            if (refreshed is not null)
            {
                _store.Save(service, refreshed);
                return refreshed.AccessToken;
            }
        }
        if (maySignInInteractively && host.Interactive)
        {
            await host.Error.WriteLineAsync($"Signing in to {ServiceTarget.Display(service)}.");
            return (await SignInAsync(host, http, service, browser: false, cancellationToken)).AccessToken;
        }
        var state = cached is null ? "You are not signed in to" : "Your sign-in has expired for";
        throw new CliException(ExitCode.NotSignedIn, $"{state} {ServiceTarget.Display(service)}: run `breakglass login {ServiceTarget.Display(service)}`.");
    }

    private async Task<CachedTokens?> RefreshQuietlyAsync(CachedTokens cached, CancellationToken cancellationToken)
    {
        try
        {
            return await OidcSignIn.RefreshAsync(host, http, cached, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The provider being unreachable is reported as "not signed in" below, with what to run.
            return null;
        }
    }

    /// <summary>A full sign-in (device flow, or code + PKCE in the browser); the tokens are cached and the service remembered.</summary>
    public static async Task<CachedTokens> SignInAsync(CliHost host, HttpClient http, Uri service, bool browser, CancellationToken cancellationToken)
    {
        var configuration = await OidcSignIn.ReadConfigurationAsync(http, service, cancellationToken);
        var discovery = await OidcSignIn.DiscoverAsync(http, configuration.Authority, cancellationToken);
        var tokens = browser
            ? await OidcSignIn.BrowserAsync(host, http, configuration, discovery, cancellationToken)
            : await OidcSignIn.DeviceAsync(host, http, configuration, discovery, cancellationToken);
        new TokenStore(host).Save(service, tokens);
        ServiceTarget.Remember(host, service);
        return tokens;
    }
}
