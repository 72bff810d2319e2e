using BreakGlass.LocalAws.Iam;
using BreakGlass.Revocation;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Enforcement;

public sealed class DenyStatementEvaluatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly Guid Revoked = Guid.Parse("0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70");
    private static readonly Guid Live = Guid.Parse("5d1c9e2a-3b47-4f86-a0d3-9e7b6c5a4f21");

    private static SessionContext Session(Guid? grant, DateTimeOffset issuedAt, string? sourceIdentity = "alice@example.com") =>
        new(grant is { } id ? new Dictionary<string, string> { [DenyPolicy.GrantTagKey] = DenyPolicy.GrantTagValue(id) } : new Dictionary<string, string>(),
            sourceIdentity, issuedAt);

    private static string BreakGlassDeny(DateTimeOffset? cutoff = null) =>
        DenyPolicy.Build([new DenyPolicyEntry(Revoked, Now.AddHours(1))], new FakeTimeProvider(Now), cutoff).ToJson();

    [Fact]
    public void TheRevokedGrantsSessionIsDeniedAndAnotherGrantOfTheRoleIsNot()
    {
        Assert.Equal("BreakGlassRevokedGrants", DenyStatementEvaluator.FindDeny(BreakGlassDeny(), "s3:ListBuckets", Session(Revoked, Now)));
        Assert.Null(DenyStatementEvaluator.FindDeny(BreakGlassDeny(), "s3:ListBuckets", Session(Live, Now)));
    }

    [Fact]
    public void ASessionWithoutTheTagIsNotMatchedByTheTagCondition()
    {
        Assert.Null(DenyStatementEvaluator.FindDeny(BreakGlassDeny(), "iam:CreateUser", Session(null, Now)));
    }

    [Fact]
    public void TheCutOffDeniesEverySessionIssuedBeforeItAndNoneIssuedAtOrAfterIt()
    {
        var policy = BreakGlassDeny(cutoff: Now);

        Assert.Equal("BreakGlassRevokedSessionsIssuedBefore", DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets", Session(Live, Now.AddMilliseconds(-1))));
        Assert.Equal("BreakGlassRevokedSessionsIssuedBefore", DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets", Session(null, Now.AddHours(-3))));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets", Session(Live, Now)));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets", Session(Live, Now.AddSeconds(1))));
    }

    [Fact]
    public void TagValuesAreCaseSensitiveAndTagKeysAreNot()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/BreakGlass-Grant":"abc"}}}]}""";

        Assert.NotNull(DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets",
            new SessionContext(new Dictionary<string, string> { ["breakglass-grant"] = "abc" }, null, Now)));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets",
            new SessionContext(new Dictionary<string, string> { ["breakglass-grant"] = "ABC" }, null, Now)));
    }

    [Fact]
    public void SourceIdentityListsMatchAnyValueAndAllConditionsMustHold()
    {
        var policy = """
            {"Version":"2012-10-17","Statement":{"Sid":"Both","Effect":"Deny","Action":["s3:*","iam:Create*"],"Resource":"*","Condition":{
              "ForAnyValue:StringEquals":{"aws:SourceIdentity":["mallory@example.com","alice@example.com"]},
              "DateLessThan":{"aws:TokenIssueTime":"2025-03-14T09:26:53Z"}}}}
            """;

        Assert.Equal("Both", DenyStatementEvaluator.FindDeny(policy, "s3:GetObject", Session(null, Now.AddMinutes(-1))));
        Assert.Equal("Both", DenyStatementEvaluator.FindDeny(policy, "IAM:CreateUser", Session(null, Now.AddMinutes(-1))));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "ec2:RunInstances", Session(null, Now.AddMinutes(-1))));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:GetObject", Session(null, Now.AddMinutes(-1), "bob@example.com")));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:GetObject", Session(null, Now.AddMinutes(-1), sourceIdentity: null)));
        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:GetObject", Session(null, Now.AddMinutes(1))));
    }

    [Fact]
    public void AllowStatementsAndUnconditionalDeniesAreReadAsIam()
    {
        var policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoKms","Effect":"Deny","Action":"kms:*","Resource":"*"}]}""";

        Assert.Null(DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets", Session(Live, Now)));
        Assert.Equal("NoKms", DenyStatementEvaluator.FindDeny(policy, "kms:Decrypt", Session(Live, Now)));
    }

    [Theory]
    [InlineData("""{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"aws:SourceIdentity":"a*"}}}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}""")]
    [InlineData("""{"Statement":[{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::bucket"}]}""")]
    public void WhatTheDoubleDoesNotModelIsRefusedLoudly(string policy)
    {
        Assert.Throws<NotSupportedException>(() => DenyStatementEvaluator.FindDeny(policy, "s3:ListBuckets", Session(Live, Now)));
    }

    [Fact]
    public void ANeutralisedDenyRoundTripsToTheDocumentBreakGlassWrote()
    {
        var written = BreakGlassDeny(cutoff: Now);

        var stored = NeutralisedDeny.Neutralise(written)!;

        Assert.DoesNotContain("\"Resource\":\"*\"", stored);
        Assert.Contains(NeutralisedDeny.Sentinel, stored);
        Assert.Equal(written, NeutralisedDeny.Restore(stored));
        Assert.Null(NeutralisedDeny.Neutralise("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""));
        Assert.Null(NeutralisedDeny.Restore(written));
    }
}
