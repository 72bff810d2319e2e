using BreakGlass.Tickets.Linear;

namespace BreakGlass.Tests.Linear;

public sealed class LinearIssueReferenceTests
{
    [Theory]
    [InlineData("OPS-123", "OPS-123")]
    [InlineData(" ops-7 ", "OPS-7")]
    [InlineData("ENG2-999999999", "ENG2-999999999")]
    [InlineData("https://linear.app/acme/issue/OPS-123/db-outage-in-eu", "OPS-123")]
    [InlineData("https://linear.app/acme/issue/ops-123", "OPS-123")]
    [InlineData("https://LINEAR.app/acme/issue/OPS-5/x?focus=comment", "OPS-5")]
    public void IdentifiersAndIssueUrlsNameAnIssue(string input, string expected)
    {
        Assert.True(LinearIssueReference.TryParse(input, out var identifier));
        Assert.Equal(expected, identifier);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("OPS")]
    [InlineData("OPS-")]
    [InlineData("123-4")]
    [InlineData("OPS-1234567890")]
    [InlineData("ABCDEFGHIJK-1")]
    [InlineData("OPS-12; query { viewer { id } }")]
    [InlineData("OPS_12")]
    [InlineData("http://linear.app/acme/issue/OPS-1")]
    [InlineData("https://linear.app.evil.example/acme/issue/OPS-1")]
    [InlineData("https://linear.app/acme/project/OPS-1")]
    [InlineData("https://linear.app/acme/issue/OPS-1/slug/extra")]
    public void AnythingElseIsRefused(string? input)
    {
        Assert.False(LinearIssueReference.TryParse(input, out var identifier));
        Assert.Null(identifier);
    }

    [Theory]
    [InlineData("OPS-1", true)]
    [InlineData("ops-1", false)]
    [InlineData("A-1", true)]
    [InlineData("OPS-1 ", false)]
    public void TheIdentifierFormatIsExact(string value, bool valid) =>
        Assert.Equal(valid, LinearIssueReference.IsValidIdentifier(value));
}
