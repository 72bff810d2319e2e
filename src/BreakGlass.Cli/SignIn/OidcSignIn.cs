using System.Net.Http.Json;
using BreakGlass.Cli.Service;
using Duende.IdentityModel.Client;
using Duende.IdentityModel.OidcClient;

namespace BreakGlass.Cli.SignIn;

/// <summary>
/// The standard flows, by Duende.IdentityModel and its OidcClient (no hand-written OAuth): the service says which IdP
/// and client to use, OIDC discovery says where its endpoints are.
/// </summary>
internal static class OidcSignIn
{
    private const int DefaultPollSeconds = 5;

    public static async Task<SignInConfiguration> ReadConfigurationAsync(HttpClient http, Uri service, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new Uri(service, ".well-known/breakglass-configuration"), cancellationToken);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCode.ServiceUnavailable, $"BreakGlass at {ServiceTarget.Display(service)} cannot be reached ({failure.Message}).");
        }
        using var _ = response;
        if (!response.IsSuccessStatusCode)
        {
            var problem = Problems.Describe(response, await response.Content.ReadAsStringAsync(cancellationToken));
            // 404: this service trusts no sign-in provider (a static key file); people use a token from their IdP.
            throw response.StatusCode == System.Net.HttpStatusCode.NotFound
                ? new CliException(ExitCode.NotSignedIn, $"{problem} (set BREAKGLASS_TOKEN)")
                : new CliException(Problems.ExitCodeFor((int)response.StatusCode), problem);
        }
        var configuration = await response.Content.ReadFromJsonAsync<SignInConfiguration>(ApiJson.Options, cancellationToken);
        if (configuration is null || string.IsNullOrWhiteSpace(configuration.Authority) || string.IsNullOrWhiteSpace(configuration.ClientId))
        {
            throw new CliException(ExitCode.ServiceUnavailable, $"{ServiceTarget.Display(service)} has no sign-in configured (Auth:Authority, Auth:Cli:ClientId).");
        }
        return configuration;
    }

    public static async Task<DiscoveryDocumentResponse> DiscoverAsync(HttpClient http, string authority, CancellationToken cancellationToken)
    {
        // Duende's default policy: HTTPS only, except on the loopback interface (the development provider).
        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest { Address = authority }, cancellationToken);
        if (discovery.IsError)
        {
            throw new CliException(ExitCode.ServiceUnavailable, $"The sign-in provider {authority} could not be discovered: {discovery.Error}");
        }
        return discovery;
    }

    /// <summary>RFC 8628: print the code, open the browser if there is one, poll until the engineer approved.</summary>
    public static async Task<CachedTokens> DeviceAsync(
        CliHost host, HttpClient http, SignInConfiguration configuration, DiscoveryDocumentResponse discovery, CancellationToken cancellationToken)
    {
        if (discovery.DeviceAuthorizationEndpoint is null)
        {
            throw new CliException(ExitCode.Usage, $"{configuration.Authority} does not offer device sign-in: use `breakglass login --browser`.");
        }
        var authorization = await http.RequestDeviceAuthorizationAsync(new DeviceAuthorizationRequest
        {
            Address = discovery.DeviceAuthorizationEndpoint,
            ClientId = configuration.ClientId,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Scope = string.Join(' ', configuration.Scopes),
        }, cancellationToken);
        if (authorization.IsError || authorization.DeviceCode is null)
        {
            throw new CliException(ExitCode.NotSignedIn, $"The sign-in provider refused to start device sign-in: {Describe(authorization.Error, authorization.ErrorDescription)}");
        }
        var verification = authorization.VerificationUriComplete ?? authorization.VerificationUri;
        await host.Error.WriteLineAsync($"To sign in, open {authorization.VerificationUri} and enter the code {authorization.UserCode}");
        if (authorization.VerificationUriComplete is not null) await host.Error.WriteLineAsync($"(or open {authorization.VerificationUriComplete})");
        if (verification is not null && BrowserLauncher.TryOpen(host, verification)) await host.Error.WriteLineAsync("Opened your browser.");
        await host.Error.FlushAsync(cancellationToken);

        var interval = TimeSpan.FromSeconds(authorization.Interval > 0 ? authorization.Interval : DefaultPollSeconds);
        var deadline = host.Time.GetUtcNow() + TimeSpan.FromSeconds(authorization.ExpiresIn ?? 600);
        while (host.Time.GetUtcNow() < deadline)
        {
            await Task.Delay(interval, host.Time, cancellationToken);
            var token = await http.RequestDeviceTokenAsync(new DeviceTokenRequest
            {
                Address = discovery.TokenEndpoint,
                ClientId = configuration.ClientId,
                ClientCredentialStyle = ClientCredentialStyle.PostBody,
                DeviceCode = authorization.DeviceCode,
            }, cancellationToken);
            switch (token.IsError ? token.Error : null)
            {
                case null:
                    return Tokens(host, configuration, discovery.TokenEndpoint!, token);
                case "authorization_pending":
                    continue;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    continue;
                case "access_denied":
                    throw new CliException(ExitCode.NotSignedIn, "Sign-in was declined in the browser.");
                case "expired_token":
                    throw new CliException(ExitCode.NotSignedIn, "The sign-in code expired before it was approved: run `breakglass login` again.");
                default:
                    throw new CliException(ExitCode.NotSignedIn, $"Sign-in failed: {Describe(token.Error, token.ErrorDescription)}");
            }
        }
        throw new CliException(ExitCode.NotSignedIn, "The sign-in code expired before it was approved: run `breakglass login` again.");
    }

    /// <summary>RFC 8252: authorization code with PKCE, redirected to a one-shot listener on a loopback port.</summary>
    public static async Task<CachedTokens> BrowserAsync(
        CliHost host, HttpClient http, SignInConfiguration configuration, DiscoveryDocumentResponse discovery, CancellationToken cancellationToken)
    {
        using var browser = LoopbackBrowser.Start(host);
        var client = new OidcClient(new OidcClientOptions
        {
            Authority = configuration.Authority,
            ClientId = configuration.ClientId,
            Scope = string.Join(' ', configuration.Scopes),
            RedirectUri = browser.RedirectUri,
            Browser = browser,
            LoadProfile = false,
            HttpClientFactory = _ => http,
            TokenClientCredentialStyle = ClientCredentialStyle.PostBody,
            // The identity token comes straight from the token endpoint over the back channel (OIDC Core 3.1.3.7); the
            // CLI only forwards the access token, which BreakGlass validates on every call.
            IdentityTokenValidator = new NoValidationIdentityTokenValidator(),
        });
        var result = await client.LoginAsync(new LoginRequest(), cancellationToken);
        if (result.IsError)
        {
            throw new CliException(ExitCode.NotSignedIn, $"Sign-in failed: {Describe(result.Error, result.ErrorDescription)}");
        }
        return new CachedTokens(configuration.Authority, configuration.ClientId, discovery.TokenEndpoint!, result.AccessToken, result.RefreshToken,
            result.AccessTokenExpiration);
    }

    /// <summary>A silent refresh; null when the provider no longer honours the refresh token.</summary>
    public static async Task<CachedTokens?> RefreshAsync(CliHost host, HttpClient http, CachedTokens cached, CancellationToken cancellationToken)
    {
        if (cached.RefreshToken is null) return null;
        var token = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = cached.TokenEndpoint,
            ClientId = cached.ClientId,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = cached.RefreshToken,
        }, cancellationToken);
        if (token.IsError || token.AccessToken is null) return null;
        return cached with
        {
            AccessToken = token.AccessToken,
            // Providers that rotate refresh tokens send a new one; others keep honouring the old.
            RefreshToken = token.RefreshToken ?? cached.RefreshToken,
            ExpiresAt = ExpiresAt(host, token),
        };
    }

    private static CachedTokens Tokens(CliHost host, SignInConfiguration configuration, string tokenEndpoint, TokenResponse token) =>
        new(configuration.Authority, configuration.ClientId, tokenEndpoint, token.AccessToken!, token.RefreshToken, ExpiresAt(host, token));

    private static DateTimeOffset ExpiresAt(CliHost host, TokenResponse token) =>
        host.Time.GetUtcNow() + TimeSpan.FromSeconds(token.ExpiresIn > 0 ? token.ExpiresIn : 300);

    private static string Describe(string? error, string? description) =>
        description is { Length: > 0 } ? $"{error} ({description})" : error ?? "no reason given";
}
