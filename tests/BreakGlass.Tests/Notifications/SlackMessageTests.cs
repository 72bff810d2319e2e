using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Notifications;

namespace BreakGlass.Tests.Notifications;

public sealed class SlackMessageTests
{
    [Theory]
    [InlineData("a & b", "a &amp; b")]
    [InlineData("<!channel> hi", "&lt;!channel&gt; hi")]
    [InlineData("<https://x.example|y>", "&lt;https://x.example|y&gt;")]
    [InlineData("*bold* _it_ ~s~", "*bold* _it_ ~s~")]
    public void SlacksThreeControlCharactersAreEscaped(string raw, string escaped) => Assert.Equal(escaped, SlackMessage.Escape(raw, 3000));

    [Fact]
    public void ACutNeverSplitsAnEscapeAndIsMarked()
    {
        var escaped = SlackMessage.Escape(new string('x', 7) + "&&&&", 13);

        Assert.Equal("xxxxxxx&amp;…", escaped);
    }

    [Fact]
    public void HugeUserTextStaysWithinSlacksLimits()
    {
        var huge = string.Concat(Enumerable.Repeat("<&> ", 5000));
        var message = SlackMessage.Render(Payload(NotificationSeverity.Info, huge, new Dictionary<string, object?>
        {
            ["reason"] = huge,
            ["notes"] = huge,
            ["overdue"] = Enumerable.Range(0, 500).Select(index => $"grant {index} {huge[..40]}").ToArray(),
            ["a"] = 1, ["b"] = 2, ["c"] = 3, ["d"] = 4, ["e"] = 5, ["f"] = 6, ["g"] = 7, ["h"] = 8, ["i"] = 9,
        }));

        var blocks = message["blocks"]!.AsArray();
        Assert.Empty(SlackDouble.BlockProblems(blocks));
        Assert.True(blocks.Count <= SlackMessage.MaxBlocks);
        Assert.True(((string?)message["text"])!.Length <= SlackMessage.MaxSectionText);
    }

    [Fact]
    public void OnlyACriticalNotificationMentionsTheChannel()
    {
        var critical = SlackMessage.Render(Payload(NotificationSeverity.Critical, "deny deleted", new Dictionary<string, object?>()));
        var info = SlackMessage.Render(Payload(NotificationSeverity.Info, "grant ended", new Dictionary<string, object?>()));

        Assert.StartsWith("<!here> ", (string?)critical["blocks"]![1]!["text"]!["text"]);
        Assert.DoesNotContain("<!here>", info.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void TheGrantPageIsLinkedAndTheFactsAreLabelled()
    {
        var grantId = Guid.NewGuid();
        var message = SlackMessage.Render(Payload(NotificationSeverity.Warning, "broke glass", new Dictionary<string, object?>
        {
            ["requester"] = "Alice <alice@example.com>",
            ["ticketUrl"] = "https://linear.app/acme/issue/OPS-1",
            ["ticket"] = null,
        }, grantId));

        var blocks = message["blocks"]!.AsArray();
        Assert.Equal("header", (string?)blocks[0]!["type"]);
        var fields = blocks[2]!["fields"]!.AsArray().Select(field => (string?)field!["text"]).ToList();
        Assert.Equal(["*Requester*\nAlice &lt;alice@example.com&gt;", "*Ticket url*\n<https://linear.app/acme/issue/OPS-1>"], fields);
        Assert.Equal($"<https://breakglass.example.com/grants/{grantId}|Open the grant in BreakGlass>", (string?)blocks[3]!["text"]!["text"]);
    }

    private static NotificationPayload Payload(string severity, string text, Dictionary<string, object?> data, Guid? grantId = null) =>
        new(Guid.NewGuid(), NotificationTypes.GrantIssued, severity, DateTimeOffset.UnixEpoch, "Glass broken: prod-admin", text, grantId,
            grantId is { } id ? new Uri($"https://breakglass.example.com/grants/{id}") : null,
            JsonSerializer.SerializeToElement(data, NotificationPayload.Json));
}
