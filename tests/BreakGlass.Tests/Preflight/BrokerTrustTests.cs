using BreakGlass.Preflight;

namespace BreakGlass.Tests.Preflight;

public sealed class BrokerTrustTests
{
    private const string BrokerUser = "arn:aws:iam::123456789012:user/breakglass-broker";
    private const string BrokerSession = "arn:aws:sts::123456789012:assumed-role/breakglass-broker/i-0abc";

    [Theory]
    [InlineData(BrokerUser, """{"AWS":"arn:aws:iam::123456789012:user/breakglass-broker"}""")]
    [InlineData(BrokerUser, """{"AWS":["arn:aws:iam::999999999999:root","arn:aws:iam::123456789012:root"]}""")]
    [InlineData(BrokerUser, """{"AWS":"123456789012"}""")]
    [InlineData(BrokerSession, """{"AWS":"arn:aws:iam::123456789012:role/breakglass-broker"}""")]
    [InlineData(BrokerSession, """{"AWS":"arn:aws:iam::123456789012:role/platform/breakglass-broker"}""")]
    public void ATrustNamingTheBrokerItsAccountOrItsRoleForEveryActionAGrantNeedsPasses(string broker, string principal)
    {
        var (ok, detail) = BrokerTrust.Check(Trust(principal, """["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]"""), broker);

        Assert.True(ok, detail);
    }

    [Fact]
    public void AWildcardActionCoversEveryActionAGrantNeeds() =>
        Assert.True(BrokerTrust.Check(Trust("""{"AWS":"123456789012"}""", "\"sts:*\""), BrokerUser).Ok);

    [Fact]
    public void ATrustWithoutTagSessionFailsAndSaysSo()
    {
        var (ok, detail) = BrokerTrust.Check(Trust("""{"AWS":"123456789012"}""", """["sts:AssumeRole","sts:SetSourceIdentity"]"""), BrokerUser);

        Assert.False(ok);
        Assert.Contains("sts:TagSession", detail);
    }

    [Theory]
    [InlineData("""{"AWS":"arn:aws:iam::123456789012:user/someone-else"}""")]
    [InlineData("""{"AWS":"arn:aws:iam::999999999999:root"}""")]
    [InlineData("""{"Service":"ec2.amazonaws.com"}""")]
    [InlineData("\"*\"")]
    public void ATrustThatDoesNotNameTheBrokerFails(string principal) =>
        Assert.False(BrokerTrust.Check(Trust(principal, """["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]"""), BrokerUser).Ok);

    [Fact]
    public void AnExplicitDenyOfTheBrokerFailsEvenBesideAnAllow()
    {
        const string trust = """
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]},
              {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::123456789012:user/breakglass-broker"},"Action":"sts:AssumeRole"}]}
            """;

        var (ok, detail) = BrokerTrust.Check(trust, BrokerUser);

        Assert.False(ok);
        Assert.Contains("denies", detail);
    }

    [Fact]
    public void ConditionsAreReportedNotJudged()
    {
        const string trust = """
            {"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},
              "Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}
            """;

        var (ok, detail) = BrokerTrust.Check(trust, BrokerUser);

        Assert.True(ok);
        Assert.Contains("conditions", detail);
    }

    private static string Trust(string principal, string actions) =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{{principal}},"Action":{{actions}}}]}""";
}
