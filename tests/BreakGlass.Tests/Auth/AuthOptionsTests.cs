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

    private static List<string> Validate(string signingKeysFile)
    {
        var options = new AuthOptions
        {
            SigningKeysFile = signingKeysFile, Issuer = "https://idp/", Audience = "api",
            Groups = new AuthOptions.GroupMapping { Requester = ["oncall"] },
        };
        return options.Validate(new ValidationContext(options)).Select(result => result.ErrorMessage!).ToList();
    }
}
