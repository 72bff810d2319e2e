using BreakGlass.Aws.Iam;

namespace BreakGlass.Tests.Aws;

public sealed class RoleArnTests
{
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/BreakGlassAdmin", "BreakGlassAdmin")]
    [InlineData("arn:aws:iam::123456789012:role/breakglass/prod/Admin", "Admin")]
    [InlineData("arn:aws-us-gov:iam::123456789012:role/Ops+Team@x", "Ops+Team@x")]
    public void TheRoleNameIsTheLastSegmentOfTheRoleArn(string arn, string name)
    {
        Assert.Equal(name, RoleArn.RoleName(arn));
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/BreakGlassAdmin")]
    [InlineData("arn:aws:iam::123456789012:role/breakglassadmin")]
    [InlineData("arn:aws:iam::123456789012:role/BREAKGLASSADMIN")]
    [InlineData("arn:aws:iam::123456789012:role/breakglass/BreakGlassAdmin")]
    [InlineData("arn:aws:iam::123456789012:role/a/b/c/breakGlassAdmin")]
    [InlineData(" arn:aws:iam::123456789012:role/BreakGlassAdmin ")]
    public void EverySpellingOfOneRoleHasOneCanonicalArn(string spelling) =>
        Assert.Equal("arn:aws:iam::123456789012:role/breakglassadmin", RoleArn.Canonical(spelling));

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/BreakGlassAdmin", "arn:aws:iam::210987654321:role/BreakGlassAdmin")]
    [InlineData("arn:aws:iam::123456789012:role/BreakGlassAdmin", "arn:aws:iam::123456789012:role/BreakGlassAdmin2")]
    [InlineData("arn:aws:iam::123456789012:role/BreakGlassAdmin", "arn:aws-cn:iam::123456789012:role/BreakGlassAdmin")]
    [InlineData("arn:aws:iam::123456789012:role/ops/Admin", "arn:aws:iam::123456789012:role/ops-Admin")]
    public void DifferentRolesStayApart(string one, string other) =>
        Assert.NotEqual(RoleArn.Canonical(one), RoleArn.Canonical(other));

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/BreakGlassAdmin", "123456789012")]
    [InlineData("arn:aws-cn:iam::210987654321:role/breakglass/Admin", "210987654321")]
    public void TheAccountIsTheFifthFieldOfTheRoleArn(string arn, string account)
    {
        Assert.Equal(account, RoleArn.AccountId(arn));
    }

    [Theory]
    [InlineData("BreakGlassAdmin")]
    [InlineData("arn:aws:iam::123456789012:user/alice")]
    [InlineData("arn:aws:sts::123456789012:assumed-role/BreakGlassAdmin/session")]
    [InlineData("arn:aws:iam::123456789012:role/")]
    [InlineData("arn:aws:iam::123456789012:role/path/")]
    [InlineData("arn:aws:iam:us-east-1:123456789012:role/Regional")]
    [InlineData("arn:aws:iam:::role/NoAccount")]
    public void AnythingButARoleArnIsRejected(string arn)
    {
        Assert.Throws<FormatException>(() => RoleArn.RoleName(arn));
        Assert.Throws<FormatException>(() => RoleArn.AccountId(arn));
    }
}
