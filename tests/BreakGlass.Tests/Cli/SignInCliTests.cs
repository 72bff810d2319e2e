using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BreakGlass.Cli;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Cli;

/// <summary>
/// <c>breakglass login</c> run as a process against a service that trusts the development OpenID provider, the
/// person's part played on the provider's pages: device flow, code + PKCE on a loopback port, silent refresh, logout.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class SignInCliTests(DevProviderFixture fixture) : IClassFixture<DevProviderFixture>
{
    private string ServiceUrl => fixture.Service.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task DeviceSignInAsAliceLetsHerBreakGlassWithoutAToken()
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint);

        var login = await SignInAsync(engineer, "alice");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"Signed in to {ServiceUrl}", login.Stdout);
        var tokens = Assert.Single(engineer.ConfigFiles(), file => file.Contains($"{Path.DirectorySeparatorChar}tokens{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokens));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(tokens))!["refreshToken"]);
        // No --url, no BREAKGLASS_URL, no BREAKGLASS_TOKEN: the service signed in to is remembered.
        var roles = await engineer.BreakGlassAsync("roles", "--json");
        Assert.True(roles.ExitCode == 0, roles.ToString());
        Assert.Contains(JsonNode.Parse(roles.Stdout)!.AsArray(), role => (string)role!["name"]! == BreakGlassFixture.AdminRole);
        var role = fixture.TakeDedicatedRole();
        var request = await engineer.BreakGlassAsync("request", role, "--for", "15m", "--reason", "Checkout is down: restarting the payment workers", "--json");
        Assert.True(request.ExitCode == 0, request.ToString());
        Assert.Equal(DevProvider.Alice.Email, (string)JsonNode.Parse(request.Stdout)!["grant"]!["requesterName"]!);
    }

    [Fact]
    public async Task BrowserSignInUsesCodeWithPkceOnALoopbackPort()
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint);
        var log = new ConcurrentQueue<string>();
        using var login = engineer.StartBreakGlass(log, "login", ServiceUrl, "--browser");

        var authorize = new Uri(await WaitForAsync(log, OpenUrl(), login));
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        using var browser = new DevProviderBrowser(fixture.Provider);
        using var back = await browser.SignInAndFollowAsync(authorize, "carol");
        await login.WaitForExitAsync().WaitAsync(Eventually.Patience);

        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/$", query["redirect_uri"]);
        Assert.Equal(DevProvider.CliClientId, query["client_id"]);
        Assert.True(login.ExitCode == 0, string.Join('\n', log));
        Assert.Equal(System.Net.HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(0, (await engineer.BreakGlassAsync("list", "--json")).ExitCode);
    }

    [Fact]
    public async Task AnExpiredAccessTokenIsRefreshedSilently()
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint);
        Assert.Equal(0, (await SignInAsync(engineer, "alice")).ExitCode);
        var tokensFile = Assert.Single(engineer.ConfigFiles(), file => file.Contains("tokens", StringComparison.Ordinal));
        var signedIn = JsonNode.Parse(File.ReadAllText(tokensFile))!;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cli = new InProcessCli(engineer.Variables, time);

        // By the CLI's clock the access token has expired: it refreshes before calling the service.
        time.SetUtcNow(DateTimeOffset.Parse((string)signedIn["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture).AddMinutes(1));
        var afterExpiry = await cli.RunAsync("roles", "--json");
        var refreshed = JsonNode.Parse(File.ReadAllText(tokensFile))!;
        // The service refuses the cached token (here: damaged): the CLI refreshes once and retries.
        refreshed["accessToken"] = "not-a-token";
        File.WriteAllText(tokensFile, refreshed.ToJsonString());
        var afterRefusal = await engineer.BreakGlassAsync("roles", "--json");

        Assert.True(afterExpiry.ExitCode == 0, afterExpiry.ToString());
        Assert.NotEqual((string)signedIn["accessToken"]!, (string)refreshed["accessToken"]!);
        Assert.True(afterRefusal.ExitCode == 0, afterRefusal.ToString());
        Assert.NotEqual("not-a-token", (string)JsonNode.Parse(File.ReadAllText(tokensFile))!["accessToken"]!);
        Assert.Equal("", afterRefusal.Stderr);
    }

    [Fact]
    public async Task LogoutForgetsTheTokensAndAScriptIsThenToldToSignIn()
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint);
        Assert.Equal(0, (await SignInAsync(engineer, "dave")).ExitCode);

        var logout = await engineer.BreakGlassAsync("logout");
        var roles = await engineer.BreakGlassAsync("roles");

        Assert.Equal(0, logout.ExitCode);
        Assert.DoesNotContain(engineer.ConfigFiles(), file => file.Contains("tokens", StringComparison.Ordinal));
        Assert.Equal((int)ExitCode.NotSignedIn, roles.ExitCode);
        Assert.Contains($"breakglass login {ServiceUrl}", roles.Stderr);
    }

    /// <summary>Runs <c>breakglass login URL</c> and approves the code it prints as <paramref name="user"/>.</summary>
    private async Task<ChildProcessResult> SignInAsync(EngineerWorkstation engineer, string user)
    {
        var log = new ConcurrentQueue<string>();
        using var login = engineer.StartBreakGlass(log, "login", ServiceUrl);
        var code = await WaitForAsync(log, UserCode(), login);
        using (var browser = new DevProviderBrowser(fixture.Provider)) await browser.ApproveDeviceAsync(code, user);
        await login.WaitForExitAsync().WaitAsync(Eventually.Patience);
        return new ChildProcessResult(login.ExitCode, string.Join('\n', log), "");
    }

    private static async Task<string> WaitForAsync(ConcurrentQueue<string> log, Regex pattern, Process process)
    {
        string? found = null;
        var appeared = await Eventually.TrueAsync(() =>
        {
            found = log.Select(line => pattern.Match(line)).FirstOrDefault(match => match.Success)?.Groups[1].Value;
            return found is not null || process.HasExited;
        }, Eventually.Patience);
        return appeared && found is not null ? found : throw new InvalidOperationException($"the CLI never printed {pattern}:\n{string.Join('\n', log)}");
    }

    [GeneratedRegex(@"enter the code (\S+)")]
    private static partial Regex UserCode();

    [GeneratedRegex(@"To sign in, open (\S+)")]
    private static partial Regex OpenUrl();
}
