using BreakGlass.Accounts;

namespace BreakGlass.Tests.Accounts;

public sealed class AccountsOptionsTests
{
    private const string Agent = "arn:aws:iam::111111111111:role/breakglass-agent";

    [Fact]
    public void AWellFormedAccountHasNoProblem() =>
        Assert.Empty(Options(new MemberAccount { Id = "111111111111", AgentRoleArn = Agent, ExternalId = "o-abc:prod/breakglass" }).Problems());

    [Theory]
    [InlineData("11111111111", Agent, null, "12-digit")]
    [InlineData("111111111111", "breakglass-agent", null, "not an IAM role ARN")]
    [InlineData("111111111111", "arn:aws:iam::222222222222:role/breakglass-agent", null, "not in account 111111111111")]
    [InlineData("111111111111", Agent, "x", "ExternalId")]
    public void EachProblemNamesTheEntryAndWhatIsWrong(string id, string agent, string? externalId, string expected)
    {
        var problems = Options(new MemberAccount { Id = id, AgentRoleArn = agent, ExternalId = externalId }).Problems();

        Assert.Contains(expected, Assert.Single(problems).Value);
        Assert.StartsWith("Accounts:0:", problems[0]);
    }

    [Fact]
    public void OnlyTheSecondEntryOfADuplicatedAccountIsAProblem()
    {
        var problems = Options(new MemberAccount { Id = "111111111111", AgentRoleArn = Agent }, new MemberAccount { Id = "111111111111", AgentRoleArn = Agent }).Problems();

        Assert.Equal([1], problems.Keys);
    }

    private static AccountsOptions Options(params MemberAccount[] accounts) => new() { Accounts = [.. accounts] };
}
