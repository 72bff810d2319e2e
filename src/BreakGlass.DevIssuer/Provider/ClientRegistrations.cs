using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>Registers the two BreakGlass clients when the provider starts (its stores are in memory).</summary>
internal sealed class ClientRegistrations(IServiceProvider services, ProviderSettings settings) : IHostedService
{
    /// <summary>
    /// RFC 8252 loopback redirects: registered without a port, and OpenIddict accepts any port on them for a native
    /// client, so the CLI can listen wherever the operating system gives it a free port.
    /// </summary>
    public static readonly IReadOnlyList<Uri> CliRedirectUris = [new("http://127.0.0.1/callback"), new("http://127.0.0.1/")];

    private static readonly string[] UserScopes = [Permissions.Scopes.Email, Permissions.Scopes.Profile];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(CliClient(), cancellationToken);
        if (settings.WebRedirectUris.Count > 0) await applications.CreateAsync(WebClient(), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private OpenIddictApplicationDescriptor CliClient()
    {
        var cli = new OpenIddictApplicationDescriptor
        {
            ClientId = settings.CliClientId,
            DisplayName = "BreakGlass command line",
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.DeviceAuthorization, Permissions.Endpoints.Token,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.DeviceCode, Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var redirect in CliRedirectUris) cli.RedirectUris.Add(redirect);
        foreach (var scope in UserScopes) cli.Permissions.Add(scope);
        return cli;
    }

    private OpenIddictApplicationDescriptor WebClient()
    {
        var web = new OpenIddictApplicationDescriptor
        {
            ClientId = settings.WebClientId,
            ClientSecret = settings.WebClientSecret,
            DisplayName = "BreakGlass web pages",
            ClientType = settings.WebClientSecret is null ? ClientTypes.Public : ClientTypes.Confidential,
            ApplicationType = ApplicationTypes.Web,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var redirect in settings.WebRedirectUris)
        {
            web.RedirectUris.Add(redirect);
            // Signing out returns to the site the sign-in came from.
            web.PostLogoutRedirectUris.Add(new Uri(redirect.GetLeftPart(UriPartial.Authority) + "/"));
        }
        foreach (var scope in UserScopes) web.Permissions.Add(scope);
        return web;
    }
}
