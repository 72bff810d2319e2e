using BreakGlass.Cli.Aws;

namespace BreakGlass.Tests.Cli;

/// <summary>The AWS config file is the engineer's: only the <c>breakglass-*</c> sections change.</summary>
public sealed class AwsConfigFileTests
{
    private const string Ours = "[profile breakglass-prod-admin]\n# written\ncredential_process = breakglass credentials --role prod-admin\nregion = us-east-1\n";

    [Theory]
    [InlineData("")]
    [InlineData("[default]\nregion = eu-west-1\n")]
    [InlineData("[default]\r\nregion = eu-west-1\r\n; a comment\r\n")]
    [InlineData("[profile sso]\nsso_region = eu-west-1")]
    public void AProfileIsAppendedAfterEverythingElseUntouched(string original)
    {
        var written = AwsConfigFile.Replace(original, "breakglass-prod-admin", Ours);

        Assert.StartsWith(original, written);
        Assert.EndsWith(Ours, written);
    }

    [Fact]
    public void RequestingAgainReplacesOnlyItsOwnSection()
    {
        const string before = "[default]\nregion = eu-west-1\n\n";
        const string after = "\n\n[profile  breakglass-prod-admin-2]\nregion = x\n[profile sso]\r\nsso_region = eu-west-1";
        var original = before + "[ profile breakglass-prod-admin ]\ncredential_process = old\nregion = eu-west-2\n# old comment" + after;
        var replacement = Ours.Replace("us-east-1", "eu-central-1", StringComparison.Ordinal);

        var written = AwsConfigFile.Replace(original, "breakglass-prod-admin", replacement);

        Assert.Equal(before + replacement + after[1..], written);
        Assert.Equal(written, AwsConfigFile.Replace(written, "breakglass-prod-admin", replacement));
    }

    [Theory]
    [InlineData("prod admin")]
    [InlineData("prod]admin")]
    [InlineData("")]
    public void RoleNamesThatCannotBeProfileNamesAreRefused(string role) =>
        Assert.Equal(BreakGlass.Cli.ExitCode.Usage, Assert.Throws<BreakGlass.Cli.CliException>(() => AwsConfigFile.ProfileName(role)).ExitCode);
}
