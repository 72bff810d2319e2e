using BreakGlass.Aws.Sts;

namespace BreakGlass.Tests.Grants;

public sealed class SessionDurationTests
{
    [Theory]
    [InlineData(240 * 60, 14400, null, 14400)]
    [InlineData(240 * 60, 14400, 3600, 3600)]
    [InlineData(240 * 60, 3600, null, 3600)]
    [InlineData(10 * 60, 14400, 3600, 900)]
    [InlineData(30 * 60 + 0.2, 14400, 3600, 1801)]
    public void EachMintIsTheRemainingWindowCappedByTheRoleAndTheBroker(double remainingSeconds, int roleMax, int? brokerCap, int expected)
    {
        Assert.Equal(expected, AssumeRoleParameters.DurationSeconds(TimeSpan.FromSeconds(remainingSeconds), roleMax, brokerCap));
    }

    [Fact]
    public void AFourHourWindowThroughARoleSessionBrokerIsCoveredByHourLongMintsToItsEnd()
    {
        var window = TimeSpan.FromHours(4);
        var elapsed = TimeSpan.Zero;
        var mints = new List<int>();
        // The engineer asks for fresh credentials whenever the last ones expire.
        while (elapsed < window)
        {
            var duration = AssumeRoleParameters.DurationSeconds(window - elapsed, roleMaxSessionSeconds: 14400, BrokerIdentity.RoleChainingCapSeconds);
            Assert.InRange(duration, AssumeRoleParameters.MinimumSessionSeconds, BrokerIdentity.RoleChainingCapSeconds);
            mints.Add(duration);
            elapsed += TimeSpan.FromSeconds(duration);
        }

        Assert.Equal([3600, 3600, 3600, 3600], mints);
    }

    [Theory]
    [InlineData("arn:aws:sts::123456789012:assumed-role/breakglass-broker/i-0abc", true)]
    [InlineData("arn:aws-us-gov:sts::123456789012:assumed-role/broker/session", true)]
    [InlineData("arn:aws:iam::123456789012:user/breakglass-broker", false)]
    [InlineData("arn:aws:iam::123456789012:root", false)]
    [InlineData("arn:aws:sts::123456789012:federated-user/bob", false)]
    public void ARoleSessionIsRecognisedByItsArn(string arn, bool isRoleSession)
    {
        Assert.Equal(isRoleSession, BrokerIdentity.IsRoleSession(arn));
    }
}
