using BreakGlass.Revocation;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Revocation;

public sealed class DenyDriftTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);
    private static readonly Guid First = Guid.Parse("0b3f6c1e-7a52-4d0e-9c61-2f8e4a1b5d70");
    private static readonly Guid Second = Guid.Parse("5d1c9e2a-3b47-4f86-a0d3-9e7b6c5a4f21");

    private readonly FakeTimeProvider _time = new(Now);

    private DenyPolicy Policy(params Guid[] ids) => DenyPolicy.Build(ids.Select(id => new DenyPolicyEntry(id, Now.AddMinutes(30))), _time);

    private static HashSet<Guid> Confirmed(params Guid[] ids) => [.. ids];

    [Fact]
    public void TheDocumentBreakGlassWroteIsNoDrift()
    {
        var expected = Policy(First, Second);

        Assert.Null(DenyDrift.Find(expected.ToJson(), expected, Confirmed(First, Second)));
    }

    [Fact]
    public void TheSameDocumentReformattedByIamIsNoDrift()
    {
        var expected = Policy(First);
        var pretty = System.Text.Json.JsonSerializer.Serialize(
            System.Text.Json.JsonDocument.Parse(expected.ToJson()).RootElement, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

        Assert.Null(DenyDrift.Find(pretty, expected, Confirmed(First)));
        Assert.True(DenyDrift.IsExactly(pretty, expected));
    }

    [Fact]
    public void ADeletedDenyIsDriftNamingEveryConfirmedGrant()
    {
        var drift = DenyDrift.Find(null, Policy(First, Second), Confirmed(First, Second));

        Assert.Equal(DenyDrift.Deleted, drift?.Finding);
        Assert.Equal([First, Second], drift!.MissingGrantIds);
    }

    [Fact]
    public void ADenyWithAnIdRemovedIsDriftNamingThatGrant()
    {
        var drift = DenyDrift.Find(Policy(Second).ToJson(), Policy(First, Second), Confirmed(First, Second));

        Assert.Equal(DenyDrift.GrantsMissing, drift?.Finding);
        Assert.Equal([First], drift!.MissingGrantIds);
    }

    [Fact]
    public void ExtraIdsInIamAreNoDrift()
    {
        // An id pruned from the database but not yet from IAM only denies more.
        Assert.Null(DenyDrift.Find(Policy(First, Second).ToJson(), Policy(Second), Confirmed(Second)));
    }

    [Fact]
    public void AGrantWhoseRevocationIsStillInProgressIsNotDrift()
    {
        // Its revocation writes it (and alerts if it cannot): the reconciler must not call that tampering.
        Assert.Null(DenyDrift.Find(null, Policy(First), Confirmed()));
        Assert.Null(DenyDrift.Find(Policy(Second).ToJson(), Policy(First, Second), Confirmed(Second)));
    }

    [Theory]
    [InlineData("\"Effect\":\"Deny\"", "\"Effect\":\"Allow\"")]
    [InlineData("\"Statement\":[", "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},")]
    [InlineData("\"Action\":\"*\"", "\"Action\":\"s3:GetObject\"")]
    [InlineData("StringEquals", "StringNotEquals")]
    public void ADocumentThatStillListsTheIdsButIsNotOursIsAnEdit(string original, string edited)
    {
        var expected = Policy(First);

        var drift = DenyDrift.Find(expected.ToJson().Replace(original, edited, StringComparison.Ordinal), expected, Confirmed(First));

        Assert.Equal(DenyDrift.Edited, drift?.Finding);
        Assert.Equal([First], drift!.MissingGrantIds);
    }

    [Fact]
    public void ADocumentThatIsNotJsonIsAnEdit()
    {
        Assert.Equal(DenyDrift.Edited, DenyDrift.Find("not json", Policy(First), Confirmed(First))?.Finding);
        Assert.False(DenyDrift.IsExactly("not json", Policy(First)));
    }

    [Fact]
    public void ReadBackOfAnEmptyPolicyExpectsNoDocument()
    {
        var empty = Policy();

        Assert.True(DenyDrift.IsExactly(null, empty));
        Assert.False(DenyDrift.IsExactly(Policy(First).ToJson(), empty));
        Assert.False(DenyDrift.IsExactly(null, Policy(First)));
        Assert.False(DenyDrift.IsExactly(Policy(Second).ToJson(), Policy(First)));
    }
}
