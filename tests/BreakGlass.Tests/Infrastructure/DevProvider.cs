using System.Collections.Concurrent;
using System.Diagnostics;
using BreakGlass.DevIssuer;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// The development OpenID Connect provider (<c>BreakGlass.DevIssuer serve</c>) as a child process on a free loopback
/// port, exactly as the quick start runs it. Its people are <see cref="Alice"/> (requester), <see cref="Carol"/>
/// (reviewer) and <see cref="Dave"/> (auditor) in the test IdP's groups, plus any users a test passes.
/// <list type="bullet">
/// <item><c>await using var provider = await DevProvider.StartAsync();</c> — or <see cref="DevProviderFixture"/> for a
/// BreakGlass service that trusts it through <c>Auth:Authority</c>.</item>
/// <item><see cref="OidcTestClient"/> plays the CLI (device flow, code + PKCE, refresh) against <see cref="Issuer"/>;
/// <see cref="DevProviderBrowser"/> plays the person at the provider's pages (approving a user code, choosing a user
/// for an authorization request).</item>
/// </list>
/// </summary>
internal sealed class DevProvider : IAsyncDisposable
{
    public const string CliClientId = "breakglass-cli";
    public const string WebClientId = "breakglass-web";
    public const string Scopes = "openid profile email offline_access";

    public static readonly DevUser Alice = new("alice", "alice@example.com", [TestIdentityProvider.RequesterGroup], "on-call engineer");
    public static readonly DevUser Carol = new("carol", "carol@example.com", [TestIdentityProvider.ReviewerGroup], "CTO");
    public static readonly DevUser Dave = new("dave", "dave@example.com", [TestIdentityProvider.AuditorGroup], "auditor");

    private readonly IReadOnlyList<string> _arguments;
    private readonly ConcurrentQueue<string> _log = new();
    private Process _process;

    private DevProvider(IReadOnlyList<string> arguments, int port, string stateDirectory, string? webClientSecret)
    {
        _arguments = arguments;
        _process = Start();
        Issuer = new Uri($"http://127.0.0.1:{port}/");
        StateDirectory = stateDirectory;
        WebClientSecret = webClientSecret;
    }

    /// <summary>The issuer (<c>iss</c>), also the authority BreakGlass discovers keys from.</summary>
    public Uri Issuer { get; }

    /// <summary>Where its signing key lives (a restart on the same directory keeps issued tokens valid).</summary>
    public string StateDirectory { get; }

    /// <summary>The web client's secret, when web redirect URIs were given (the web client is confidential then).</summary>
    public string? WebClientSecret { get; }

    /// <summary>Everything the provider wrote.</summary>
    public IEnumerable<string> Log => _log;

    /// <summary>A requester of its own (unique email, the requester group): the open-grant cap is per person.</summary>
    public static DevUser Engineer(string name) => new(name, TestIdentityProvider.NewUser(name), [TestIdentityProvider.RequesterGroup]);

    /// <summary>
    /// Starts the provider with <see cref="Alice"/>, <see cref="Carol"/>, <see cref="Dave"/> and <paramref name="extraUsers"/>;
    /// with <paramref name="webRedirectUris"/> it also registers the confidential web client.
    /// </summary>
    public static async Task<DevProvider> StartAsync(
        IEnumerable<DevUser>? extraUsers = null, IEnumerable<Uri>? webRedirectUris = null, string? stateDirectory = null,
        TimeSpan? accessTokenLifetime = null)
    {
        var port = FreePort.Next();
        var state = stateDirectory ?? Path.Combine(Path.GetTempPath(), "breakglass-dev-provider-" + Guid.NewGuid().ToString("N"));
        var redirects = webRedirectUris?.ToList() ?? [];
        var secret = redirects.Count > 0 ? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) : null;
        List<string> arguments =
        [
            Path.Combine(AppContext.BaseDirectory, "BreakGlass.DevIssuer.dll"), "serve", "--state", state, "--port", $"{port}",
            "--audience", TestIdentityProvider.Audience,
        ];
        foreach (var user in new[] { Alice, Carol, Dave }.Concat(extraUsers ?? [])) arguments.AddRange(["--user", user.ToArgument()]);
        foreach (var redirect in redirects) arguments.AddRange(["--web-redirect-uri", redirect.ToString()]);
        if (secret is not null) arguments.AddRange(["--web-client-secret", secret]);
        if (accessTokenLifetime is { } lifetime) arguments.AddRange(["--access-token-seconds", $"{(int)lifetime.TotalSeconds}"]);

        var provider = new DevProvider(arguments, port, state, secret);
        try
        {
            await provider.WaitUntilDiscoverableAsync();
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
        return provider;
    }

    /// <summary>Stops the provider and starts it again on the same port and state directory (what a developer's restart does).</summary>
    public async Task RestartAsync()
    {
        Stop();
        _process = Start();
        await WaitUntilDiscoverableAsync();
    }

    private Process Start() => ChildProcess.StartLogged(new ProcessStartInfo("dotnet", _arguments), _log);

    private void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private async Task WaitUntilDiscoverableAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartupPatience.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the development provider exited with {_process.ExitCode}:\n{string.Join('\n', _log)}");
            try
            {
                if ((await http.GetAsync(new Uri(Issuer, ".well-known/openid-configuration"))).IsSuccessStatusCode) return;
            }
            catch (Exception unreachable) when (unreachable is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the development provider never answered discovery:\n{string.Join('\n', _log)}");
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
