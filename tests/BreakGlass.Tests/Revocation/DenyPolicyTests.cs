using BreakGlass.Revocation;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Revocation;

public sealed class DenyPolicyTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly Guid First = Guid.Parse("0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70");
    private static readonly Guid Second = Guid.Parse("5d1c9e2a-3b47-4f86-a0d3-9e7b6c5a4f21");
    private static readonly Guid Third = Guid.Parse("c8a4e7f0-1d2b-4c3e-8f5a-6b7c8d9e0f12");

    private readonly FakeTimeProvider _time = new(Now);

    private static DenyPolicyEntry Live(Guid id) => new(id, Now.AddMinutes(30));

    [Fact]
    public void OneRevokedGrantGivesTheExactDocument()
    {
        var policy = DenyPolicy.Build([Live(First)], _time);

        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Sid":"BreakGlassRevokedGrants","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/breakglass-grant":["0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70"]}}}]}""",
            policy.ToJson());
    }

    [Fact]
    public void GrantIdsAreSortedWhateverTheOrderTheyArriveIn()
    {
        var expected =
            """{"Version":"2012-10-17","Statement":[{"Sid":"BreakGlassRevokedGrants","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/breakglass-grant":["0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70","5d1c9e2a-3b47-4f86-a0d3-9e7b6c5a4f21","c8a4e7f0-1d2b-4c3e-8f5a-6b7c8d9e0f12"]}}}]}""";

        Assert.Equal(expected, DenyPolicy.Build([Live(Third), Live(First), Live(Second)], _time).ToJson());
        Assert.Equal(expected, DenyPolicy.Build([Live(Second), Live(Third), Live(First), Live(Second)], _time).ToJson());
    }

    [Fact]
    public void TheGrantTagValueIsTheLowerCaseHyphenatedId()
    {
        Assert.Equal("0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70", DenyPolicy.GrantTagValue(First));
    }

    [Fact]
    public void AGrantIsPrunedOnlyOnceAConsoleSessionStartedWithItsCredentialsCannotBeAliveEither()
    {
        var expiresAt = Now.AddMinutes(10);
        DenyPolicyEntry[] revoked = [new(First, expiresAt), new(Second, expiresAt.AddHours(1))];

        Assert.Equal([First, Second], DenyPolicy.Build(revoked, _time).GrantIds);

        _time.SetUtcNow(expiresAt + TimeSpan.FromHours(12) + DenyPolicy.ExpirySafetyMargin - TimeSpan.FromSeconds(1));
        Assert.Equal([First, Second], DenyPolicy.Build(revoked, _time).GrantIds);

        _time.SetUtcNow(expiresAt + TimeSpan.FromHours(12) + DenyPolicy.ExpirySafetyMargin);
        Assert.Equal([Second], DenyPolicy.Build(revoked, _time).GrantIds);
    }

    [Fact]
    public void AGrantListedTwiceStaysWhileAnyOfItsCredentialsLive()
    {
        var policy = DenyPolicy.Build([new(First, Now.AddDays(-1)), new(First, Now.AddMinutes(1))], _time);

        Assert.Equal([First], policy.GrantIds);
    }

    [Fact]
    public void WhenEveryGrantIsPrunedThePolicyIsEmptyAndIsNotRendered()
    {
        var policy = DenyPolicy.Build([new(First, Now.AddHours(-13))], _time);

        Assert.True(policy.IsEmpty);
        Assert.Empty(policy.GrantIds);
        Assert.Throws<InvalidOperationException>(() => policy.ToJson());
        Assert.True(DenyPolicy.Build([], _time).IsEmpty);
    }

    [Fact]
    public void APanicCutOffDeniesSessionsIssuedBeforeIt()
    {
        var policy = DenyPolicy.Build([], _time, revokeSessionsIssuedBefore: Now);

        Assert.False(policy.IsEmpty);
        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Sid":"BreakGlassRevokedSessionsIssuedBefore","Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2025-03-14T09:26:53Z"}}}]}""",
            policy.ToJson());
    }

    [Fact]
    public void APanicCutOffIsASecondStatementNextToTheRevokedGrants()
    {
        var policy = DenyPolicy.Build([Live(First)], _time, revokeSessionsIssuedBefore: Now);

        Assert.Equal(
            """{"Version":"2012-10-17","Statement":[{"Sid":"BreakGlassRevokedGrants","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/breakglass-grant":["0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70"]}}},{"Sid":"BreakGlassRevokedSessionsIssuedBefore","Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":"2025-03-14T09:26:53Z"}}}]}""",
            policy.ToJson());
    }

    [Fact]
    public void APanicCutOffWithAFractionOfASecondIsRoundedUpSoNoSessionSlipsThrough()
    {
        var policy = DenyPolicy.Build([], _time, revokeSessionsIssuedBefore: Now.AddMilliseconds(1));

        Assert.Equal(Now.AddSeconds(1), policy.RevokeSessionsIssuedBefore);
        Assert.Contains("\"aws:TokenIssueTime\":\"2025-03-14T09:26:54Z\"", policy.ToJson());
    }

    [Fact]
    public void APanicCutOffIsDroppedOnceNoSessionNorConsoleSessionIssuedBeforeItCanStillLive()
    {
        // A 12-hour session issued just before the cut-off, and a 12-hour console session signed in just before it expired.
        var lifetime = TimeSpan.FromHours(24) + DenyPolicy.ExpirySafetyMargin;
        _time.SetUtcNow(Now + lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(Now, DenyPolicy.Build([], _time, revokeSessionsIssuedBefore: Now).RevokeSessionsIssuedBefore);

        _time.SetUtcNow(Now + lifetime);
        Assert.True(DenyPolicy.Build([], _time, revokeSessionsIssuedBefore: Now).IsEmpty);
    }

    [Fact]
    public void ACutOffCoversTheGrantsThatEndedWellBeforeItAndKeepsTheRecentOnes()
    {
        DenyPolicyEntry[] revoked =
        [
            new(First, Now.AddMinutes(30), EndedAt: Now - DenyPolicy.ExpirySafetyMargin),
            new(Second, Now.AddMinutes(30), EndedAt: Now - DenyPolicy.ExpirySafetyMargin + TimeSpan.FromSeconds(1)),
            new(Third, Now.AddMinutes(30), EndedAt: null),
        ];

        var policy = DenyPolicy.Build(revoked, _time, revokeSessionsIssuedBefore: Now);

        Assert.Equal([Second, Third], policy.GrantIds);
        Assert.Equal(Now, policy.RevokeSessionsIssuedBefore);
    }

    [Fact]
    public void AnOverflowingDenyFallsBackToACutOffAtNowInsteadOfFailing()
    {
        var endedLongAgo = Enumerable.Range(0, 300).Select(_ => new DenyPolicyEntry(Guid.NewGuid(), Now.AddMinutes(30), Now.AddMinutes(-20)));
        var endedJustNow = new DenyPolicyEntry(First, Now.AddMinutes(30), Now.AddSeconds(-10));
        DenyPolicyEntry[] revoked = [.. endedLongAgo, endedJustNow];
        Assert.Throws<DenyPolicyTooLargeException>(() => DenyPolicy.Build(revoked, _time));

        var policy = DenyPolicy.BuildWithinLimit(revoked, _time);

        Assert.Equal(Now, policy.RevokeSessionsIssuedBefore);
        Assert.Equal([First], policy.GrantIds);
    }

    [Fact]
    public void ADenyThatFitsKeepsItsIdsAndNoCutOff()
    {
        var policy = DenyPolicy.BuildWithinLimit([Live(First)], _time);

        Assert.Null(policy.RevokeSessionsIssuedBefore);
        Assert.Equal([First], policy.GrantIds);
    }

    [Fact]
    public void WhenEvenRecentGrantsOverflowACutOffTheFailureIsReported()
    {
        var endedJustNow = Enumerable.Range(0, 300).Select(_ => new DenyPolicyEntry(Guid.NewGuid(), Now.AddMinutes(30), Now.AddSeconds(-10))).ToList();

        Assert.Throws<DenyPolicyTooLargeException>(() => DenyPolicy.BuildWithinLimit(endedJustNow, _time));
    }

    [Fact]
    public void AFullRolePolicyHolds257GrantIdsOr253WithAPanicCutOff()
    {
        // 224 characters for one id (the golden document above), 39 more per further id: 1 + (10240 - 224) / 39.
        Assert.Equal(257, DenyPolicy.Capacity());
        // The cut-off statement takes 167 characters more: 1 + (10240 - 391) / 39.
        Assert.Equal(253, DenyPolicy.Capacity(withSessionCutoff: true));
    }

    [Fact]
    public void ThePolicyFillsUpToTheLimitAndIsRefusedOneIdLater()
    {
        var full = Enumerable.Range(0, 257).Select(_ => Live(Guid.NewGuid())).ToList();

        var json = DenyPolicy.Build(full, _time).ToJson();
        Assert.InRange(json.Length, DenyPolicy.RoleInlinePolicyLimit - 38, DenyPolicy.RoleInlinePolicyLimit);

        var refused = Assert.Throws<DenyPolicyTooLargeException>(() => DenyPolicy.Build([.. full, Live(Guid.NewGuid())], _time));
        Assert.Equal(257, refused.Capacity);
        Assert.Equal(DenyPolicy.RoleInlinePolicyLimit, refused.CharacterBudget);
        Assert.Equal(json.Length + 39, refused.Characters);
    }

    [Fact]
    public void ExpiredGrantsDoNotCountAgainstTheLimit()
    {
        var live = Enumerable.Range(0, 257).Select(_ => Live(Guid.NewGuid()));
        var expired = Enumerable.Range(0, 100).Select(_ => new DenyPolicyEntry(Guid.NewGuid(), Now.AddHours(-14)));

        Assert.Equal(257, DenyPolicy.Build([.. live, .. expired], _time).GrantIds.Count);
    }

    [Fact]
    public void OtherInlinePoliciesOnTheRoleShrinkTheBudget()
    {
        var otherPolicy = """
            {
              "Version": "2012-10-17",
              "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::models/*" }]
            }
            """;
        var budget = DenyPolicy.RoleInlinePolicyLimit - DenyPolicy.CountedCharacters(otherPolicy);

        Assert.Equal(116, DenyPolicy.CountedCharacters(otherPolicy));
        Assert.Equal(254, DenyPolicy.Capacity(budget));
        var revoked = Enumerable.Range(0, 255).Select(_ => Live(Guid.NewGuid())).ToList();
        Assert.Throws<DenyPolicyTooLargeException>(() => DenyPolicy.Build(revoked, _time, characterBudget: budget));
        Assert.Equal(254, DenyPolicy.Build(revoked.Skip(1), _time, characterBudget: budget).GrantIds.Count);
    }

    [Fact]
    public void ABudgetTooSmallForEvenOneIdHasNoCapacity()
    {
        Assert.Equal(0, DenyPolicy.Capacity(223));
        Assert.Equal(1, DenyPolicy.Capacity(224));
    }

    [Fact]
    public void ARenderedPolicyParsesBackToTheSameIdsAndCutOff()
    {
        var policy = DenyPolicy.Build([Live(Third), Live(First), Live(Second)], _time, revokeSessionsIssuedBefore: Now);

        var parsed = DenyPolicy.Parse(policy.ToJson());

        Assert.Equal([First, Second, Third], parsed.GrantIds);
        Assert.Equal(Now, parsed.RevokeSessionsIssuedBefore);
        Assert.Equal(policy.ToJson(), parsed.ToJson());
    }

    [Fact]
    public void APrettyPrintedPolicyWithASingleValueParsesToo()
    {
        var parsed = DenyPolicy.Parse("""
            {
              "Version": "2012-10-17",
              "Statement": {
                "Sid": "BreakGlassRevokedGrants",
                "Effect": "Deny",
                "Action": "*",
                "Resource": "*",
                "Condition": { "StringEquals": { "aws:PrincipalTag/breakglass-grant": "5d1c9e2a-3b47-4f86-a0d3-9e7b6c5a4f21" } }
              }
            }
            """);

        Assert.Equal([Second], parsed.GrantIds);
        Assert.Null(parsed.RevokeSessionsIssuedBefore);
    }

    [Fact]
    public void WhitespaceIsNotCountedTowardsTheLimit()
    {
        var json = DenyPolicy.Build([Live(First)], _time).ToJson();
        var pretty = System.Text.Json.Nodes.JsonNode.Parse(json)!.ToJsonString(new() { WriteIndented = true });

        Assert.True(pretty.Length > json.Length);
        Assert.Equal(json.Length, DenyPolicy.CountedCharacters(pretty));
    }

    [Fact]
    public void ADocumentThatIsNotOursIsRejectedWhenParsed()
    {
        Assert.Throws<FormatException>(() => DenyPolicy.Parse("""{"Version":"2012-10-17"}"""));
        Assert.Throws<FormatException>(() => DenyPolicy.Parse(
            """{"Version":"2012-10-17","Statement":[{"Sid":"BreakGlassRevokedGrants","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/breakglass-grant":["not-a-grant-id"]}}}]}"""));
    }
}
