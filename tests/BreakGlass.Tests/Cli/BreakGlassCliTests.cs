using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BreakGlass.Cli;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Cli;

/// <summary>
/// The built <c>breakglass</c> CLI run as a process, as an engineer or a script runs it, against the real service and
/// moto, with the real AWS CLI using the profile it writes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BreakGlassCliTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    private const string Reason = "Checkout is down: restarting the payment workers";

    private string ServiceUrl => fixture.Service.BaseAddress.ToString().TrimEnd('/');

    [Fact]
    public async Task RequestWritesAProfileThatTheAwsCliUsesThroughCredentialProcessServedFromTheCache()
    {
        using var engineer = Engineer();
        using var api = ApiAs(engineer);
        const string theirOwnConfig = "[default]\nregion = eu-west-1\n# notes the engineer keeps\n\n[profile sso-prod]\r\nsso_start_url = https://example.awsapps.com/start\r\nsso_region = eu-west-1\r\n";
        File.WriteAllText(engineer.AwsConfigFile, theirOwnConfig);
        var role = fixture.TakeDedicatedRole();

        var request = await engineer.BreakGlassAsync("request", role, "--for", "2h", "--reason", Reason, "--url", ServiceUrl);

        Assert.True(request.ExitCode == 0, request.ToString());
        Assert.Contains($"export AWS_PROFILE=breakglass-{role}", request.Stdout);
        Assert.Contains("UTC", request.Stdout);
        var grant = Assert.Single((await api.GetFromJsonAsync<GrantsPage>("/api/grants"))!);
        Assert.Contains(grant.Id.ToString(), request.Stdout);
        var config = File.ReadAllText(engineer.AwsConfigFile);
        Assert.StartsWith(theirOwnConfig, config);
        Assert.Contains($"[profile breakglass-{role}]\n", config);
        Assert.Contains($"credential_process = breakglass credentials --role {role} --url {ServiceUrl}\n", config);

        var first = await engineer.AwsAsync("sts", "get-caller-identity", "--profile", $"breakglass-{role}", "--output", "json");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"assumed-role/{fixture.RoleArnOf(role).Split('/')[^1]}/", (string)JsonNode.Parse(first.Stdout)!["Arn"]!);
        Assert.Single((await api.GetGrantAsync(grant.Id.ToString())).AccessKeyIds);

        // Without a cache the first credential_process call mints fresh credentials; the next one is served from the cache.
        var cacheFile = Assert.Single(engineer.ConfigFiles(), file => file.Contains("credentials", StringComparison.Ordinal));
        File.Delete(cacheFile);
        Assert.Equal(0, (await engineer.AwsAsync("sts", "get-caller-identity", "--profile", $"breakglass-{role}")).ExitCode);
        Assert.Equal(2, (await api.GetGrantAsync(grant.Id.ToString())).AccessKeyIds.Count);
        var cached = File.ReadAllText(cacheFile);
        var second = await engineer.AwsAsync("sts", "get-caller-identity", "--profile", $"breakglass-{role}");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, (await api.GetGrantAsync(grant.Id.ToString())).AccessKeyIds.Count);
        Assert.Equal(cached, File.ReadAllText(cacheFile));
        Assert.StartsWith(theirOwnConfig, File.ReadAllText(engineer.AwsConfigFile));
        Assert.All(engineer.ConfigFiles(), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task AfterEndTheProfileFailsWithTheClisSentenceAndAwsRefusesTheOldCredentials()
    {
        using var engineer = Engineer();
        var role = fixture.TakeDedicatedRole();
        Assert.Equal(0, (await engineer.BreakGlassAsync("request", role, "--reason", Reason, "--url", ServiceUrl)).ExitCode);
        var exported = await engineer.BreakGlassAsync("env", role, "--url", ServiceUrl);
        var credentials = JsonNode.Parse((await engineer.BreakGlassAsync("env", role, "--json", "--url", ServiceUrl)).Stdout)!;
        using var session = new EngineerSession(fixture.Moto, new JsonObject
        {
            ["accessKeyId"] = (string)credentials["AccessKeyId"]!,
            ["secretAccessKey"] = (string)credentials["SecretAccessKey"]!,
            ["sessionToken"] = (string)credentials["SessionToken"]!,
        });
        Assert.Contains($"export AWS_ACCESS_KEY_ID={session.AccessKeyId}\n", exported.Stdout);
        Assert.True(await session.IsHonouredAsync());

        var ended = await engineer.BreakGlassAsync("end", "--reason", "incident resolved", "--url", ServiceUrl);

        Assert.True(ended.ExitCode == 0, ended.ToString());
        var profile = await engineer.AwsAsync("sts", "get-caller-identity", "--profile", $"breakglass-{role}");
        Assert.NotEqual(0, profile.ExitCode);
        Assert.Contains("ended at", profile.Stderr);
        Assert.Contains($"breakglass request {role}", profile.Stderr);
        var direct = await engineer.BreakGlassAsync("credentials", "--role", role, "--url", ServiceUrl);
        Assert.Equal((int)ExitCode.GrantEnded, direct.ExitCode);
        AssertOneSentence(direct.Stderr);
        Assert.Equal("", direct.Stdout);
        // sts:GetCallerIdentity succeeds even under a deny: S3 is the probe that AWS refuses the session.
        Assert.NotNull(await session.WaitUntilRefusedAsync(Eventually.Patience));
        Assert.DoesNotContain(engineer.ConfigFiles(), file => File.ReadAllText(file).Contains((string)credentials["SecretAccessKey"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonOutputCarriesTheServicesShapesAndNoSecrets()
    {
        using var engineer = Engineer();
        var role = fixture.TakeDedicatedRole();

        var roles = JsonNode.Parse((await engineer.BreakGlassAsync("roles", "--json", "--url", ServiceUrl)).Stdout)!.AsArray();
        var request = await engineer.BreakGlassAsync("request", role, "--for", "90m", "--reason", Reason, "--json", "--url", ServiceUrl);
        var requested = JsonNode.Parse(request.Stdout)!;
        var grantId = (string)requested["grant"]!["id"]!;
        var status = JsonNode.Parse((await engineer.BreakGlassAsync("status", grantId, "--json", "--url", ServiceUrl)).Stdout)!.AsArray();
        var list = JsonNode.Parse((await engineer.BreakGlassAsync("list", "--json", "--url", ServiceUrl)).Stdout)!.AsArray();
        var process = JsonNode.Parse((await engineer.BreakGlassAsync("credentials", "--role", role, "--url", ServiceUrl)).Stdout)!.AsObject();

        var admin = roles.Single(item => (string)item!["name"]! == BreakGlassFixture.AdminRole)!;
        Assert.Equal(240, (int)admin["maxDurationMinutes"]!);
        Assert.False((bool)admin["requireTicket"]!);
        Assert.StartsWith("arn:aws:iam::", (string)admin["roleArn"]!);
        Assert.Equal($"breakglass-{role}", (string)requested["profile"]!);
        Assert.Equal($"export AWS_PROFILE=breakglass-{role}", (string)requested["use"]!);
        Assert.Equal(engineer.AwsConfigFile, (string)requested["configFile"]!);
        Assert.Null(requested["grant"]!["credentials"]);
        Assert.Equal("Active", (string)requested["grant"]!["status"]!);
        Assert.Equal(grantId, (string)Assert.Single(status)!["id"]!);
        Assert.Equal(grantId, (string)Assert.Single(list)!["id"]!);
        Assert.Equal(["AccessKeyId", "Expiration", "SecretAccessKey", "SessionToken", "Version"], process.Select(pair => pair.Key).Order());
        Assert.Equal(1, (int)process["Version"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string)process["Expiration"]!);
        Assert.DoesNotContain((string)process["SecretAccessKey"]!, request.Stdout);
    }

    [Fact]
    public async Task ConsoleAsksTheFederationEndpointForNoLongerThanTheGrantHasLeft()
    {
        using var engineer = Engineer();
        await using var federation = await FederationDouble.StartAsync();
        engineer.Variables["BREAKGLASS_FEDERATION_URL"] = federation.Url.ToString();
        var role = fixture.TakeDedicatedRole();
        Assert.Equal(0, (await engineer.BreakGlassAsync("request", role, "--for", "20m", "--reason", Reason, "--url", ServiceUrl)).ExitCode);
        var accessKeyId = (string)JsonNode.Parse((await engineer.BreakGlassAsync("env", role, "--json", "--url", ServiceUrl)).Stdout)!["AccessKeyId"]!;

        var console = await engineer.BreakGlassAsync("console", role, "--url", ServiceUrl);

        Assert.True(console.ExitCode == 0, console.ToString());
        var url = console.Stdout.Trim();
        Assert.StartsWith($"{federation.Url}?Action=login&", url);
        Assert.Contains("Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F", url);
        Assert.Contains("SigninToken=signin-token-", url);
        var asked = Assert.Single(federation.Requests);
        Assert.Equal("getSigninToken", asked["Action"]);
        Assert.InRange(int.Parse(asked["SessionDuration"]!, System.Globalization.CultureInfo.InvariantCulture), 900, 20 * 60);
        Assert.Equal(accessKeyId, (string)JsonNode.Parse(asked["Session"].ToString())!["sessionId"]!);
    }

    [Fact]
    public async Task CredentialsAreMintedAgainWhenTheInjectedClockReachesFiveMinutesBeforeTheyExpire()
    {
        using var engineer = Engineer();
        using var api = ApiAs(engineer);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cli = new InProcessCli(engineer.Variables, time);
        var role = fixture.TakeDedicatedRole();
        Assert.Equal(0, (await cli.RunAsync("request", role, "--for", "1h", "--reason", Reason, "--url", ServiceUrl)).ExitCode);
        var issued = JsonNode.Parse((await cli.RunAsync("credentials", "--role", role, "--url", ServiceUrl)).Stdout)!;
        var expiration = DateTimeOffset.Parse((string)issued["Expiration"]!, System.Globalization.CultureInfo.InvariantCulture);

        time.SetUtcNow(expiration - TimeSpan.FromMinutes(6));
        var stillCached = JsonNode.Parse((await cli.RunAsync("credentials", "--role", role, "--url", ServiceUrl)).Stdout)!;
        time.SetUtcNow(expiration - TimeSpan.FromMinutes(4));
        var renewed = JsonNode.Parse((await cli.RunAsync("credentials", "--role", role, "--url", ServiceUrl)).Stdout)!;
        var grant = Assert.Single((await api.GetFromJsonAsync<GrantsPage>("/api/grants"))!);
        time.SetUtcNow(grant.ExpiresAt + TimeSpan.FromSeconds(1));
        var afterWindow = await cli.RunAsync("credentials", "--role", role, "--url", ServiceUrl);

        Assert.Equal((string)issued["AccessKeyId"]!, (string)stillCached["AccessKeyId"]!);
        Assert.NotEqual((string)issued["AccessKeyId"]!, (string)renewed["AccessKeyId"]!);
        Assert.Equal(new[] { (string)issued["AccessKeyId"]!, (string)renewed["AccessKeyId"]! }.Order(StringComparer.Ordinal), grant.AccessKeyIds.Order(StringComparer.Ordinal));
        // By the injected clock the window is over, though the service (on the real clock) still holds the grant open.
        Assert.Equal((int)ExitCode.GrantEnded, afterWindow.ExitCode);
        Assert.Contains("ended at", afterWindow.Stderr);
        Assert.Equal(2, (await api.GetGrantAsync(grant.Id.ToString())).AccessKeyIds.Count);
    }

    [Fact]
    public async Task AServiceThatIsDownGetsOneSentenceAndTheUnavailableExitCode()
    {
        using var engineer = Engineer();

        var roles = await engineer.BreakGlassAsync("roles", "--url", $"http://127.0.0.1:{FreePort.Next()}");

        Assert.Equal((int)ExitCode.ServiceUnavailable, roles.ExitCode);
        Assert.Contains("cannot be reached", roles.Stderr);
        AssertOneSentence(roles.Stderr);
    }

    [Fact]
    public async Task WithoutASignInAScriptGetsTheNotSignedInExitCodeAndWhatToRun()
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint);

        var signedOut = await engineer.BreakGlassAsync("roles", "--url", ServiceUrl);
        engineer.Variables["BREAKGLASS_TOKEN"] = "not-a-token";
        var refused = await engineer.BreakGlassAsync("roles", "--url", ServiceUrl);

        Assert.Equal((int)ExitCode.NotSignedIn, signedOut.ExitCode);
        Assert.Contains($"breakglass login {ServiceUrl}", signedOut.Stderr);
        Assert.Equal((int)ExitCode.NotSignedIn, refused.ExitCode);
        AssertOneSentence(refused.Stderr);
    }

    [Fact]
    public async Task APolicyRefusalGetsTheProblemDetailAndTheRefusedExitCode()
    {
        using var engineer = Engineer();

        var refused = await engineer.BreakGlassAsync("request", BreakGlassFixture.LeadsOnlyRole, "--reason", Reason, "--url", ServiceUrl);
        var tooLong = await engineer.BreakGlassAsync("request", BreakGlassFixture.AdminRole, "--for", "9h", "--reason", Reason, "--url", ServiceUrl);
        var badWindow = await engineer.BreakGlassAsync("request", BreakGlassFixture.AdminRole, "--for", "soon", "--reason", Reason, "--url", ServiceUrl);

        Assert.Equal((int)ExitCode.Refused, refused.ExitCode);
        Assert.Contains("Not allowed by the break-glass policy", refused.Stderr);
        AssertOneSentence(refused.Stderr);
        Assert.Equal((int)ExitCode.Usage, tooLong.ExitCode);
        Assert.Contains("allows at most 240 minutes", tooLong.Stderr);
        Assert.Equal((int)ExitCode.Usage, badWindow.ExitCode);
        Assert.False(File.Exists(engineer.AwsConfigFile));
    }

    private EngineerWorkstation Engineer() => new(fixture.Moto.Endpoint, fixture.Idp.Requester(TestIdentityProvider.NewUser()));

    private HttpClient ApiAs(EngineerWorkstation engineer) => fixture.Client(engineer.Variables["BREAKGLASS_TOKEN"]);

    /// <summary>One line, said by the CLI: no exception type, no stack trace.</summary>
    private static void AssertOneSentence(string stderr)
    {
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("breakglass: ", line);
        Assert.DoesNotContain("Exception", line);
        Assert.DoesNotContain("   at ", stderr);
    }

    private sealed class GrantsPage : List<BreakGlass.Grants.GrantResponse>;
}
