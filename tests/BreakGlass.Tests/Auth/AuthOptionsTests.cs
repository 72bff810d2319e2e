using System.ComponentModel.DataAnnotations;
using BreakGlass.Auth;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Auth;

public sealed class AuthOptionsTests
{
    [Theory]
    [InlineData("not json at all", "is not a JWKS document")]
    [InlineData("""{"keys":[]}""", "holds no signing key")]
    public void AnUnusableSigningKeysFileFailsAtStart(string contents, string expected)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, contents);

        var problems = Validate(path);

        Assert.Contains(problems, problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingSigningKeysFileFailsAtStart() =>
        Assert.Contains(Validate("/nonexistent/jwks.json"), problem => problem.Contains("does not exist", StringComparison.Ordinal));

    [Fact]
    public void AGoodJwksFilePasses() => Assert.Empty(Validate(new TestIdentityProvider().JwksFile));

    [Fact]
    public void SignInClientsNeedAnAuthority()
    {
        var options = Options(new TestIdentityProvider().JwksFile);
        options.Cli.ClientId = "breakglass-cli";
        options.Web.ClientId = "breakglass-web";

        var problems = Validate(options);

        Assert.Contains("Auth:Cli:ClientId needs Auth:Authority: people sign in at the IdP its discovery document names.", problems);
        Assert.Contains("Auth:Web:ClientId needs Auth:Authority: people sign in at the IdP its discovery document names.", problems);
    }

    [Theory]
    [InlineData("breakglass-cli", "openid offline_access", "breakglass-web", "secret", null)]
    [InlineData("breakglass cli", "openid", null, null, "Auth:Cli:ClientId must be printable ASCII without spaces.")]
    [InlineData("breakglass-cli", "openid \"quoted\"", null, null, "Auth:Cli:Scopes must be space-separated OAuth scopes (printable ASCII, no quotes or backslashes).")]
    [InlineData("breakglass-cli", "  ", null, null, "Auth:Cli:Scopes must be space-separated OAuth scopes (printable ASCII, no quotes or backslashes).")]
    [InlineData(null, "openid", null, "secret", "Auth:Web:ClientSecret is set without Auth:Web:ClientId.")]
    public void SignInClientSettingsAreChecked(string? cliClientId, string scopes, string? webClientId, string? webSecret, string? expected)
    {
        var options = Options(signingKeysFile: null);
        options.Authority = "https://idp.example.com/";
        options.Cli = new AuthOptions.CliClient { ClientId = cliClientId, Scopes = scopes };
        options.Web = new AuthOptions.WebClient { ClientId = webClientId, ClientSecret = webSecret };

        var problems = Validate(options);

        if (expected is null) Assert.Empty(problems);
        else Assert.Equal([expected], problems);
    }

    private static List<string> Validate(string signingKeysFile) => Validate(Options(signingKeysFile));

    private static AuthOptions Options(string? signingKeysFile) => new()
    {
        SigningKeysFile = signingKeysFile, Issuer = "https://idp/", Audience = "api",
        Groups = new AuthOptions.GroupMapping { Requester = ["oncall"] },
    };

    private static List<string> Validate(AuthOptions options) =>
        options.Validate(new ValidationContext(options)).Select(result => result.ErrorMessage!).ToList();
}
