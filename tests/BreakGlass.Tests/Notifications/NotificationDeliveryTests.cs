using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Notifications;

public sealed class NotificationDeliveryTests(NotificationsFixture fixture) : IClassFixture<NotificationsFixture>
{
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task AGrantsLifecycleReachesEachRouteOnceWithTheGrantsLinkAndEscapedText()
    {
        var reason = "Orders DB down <!channel> & <https://evil.example|click here>";
        var (client, id) = await BreakGlassAsync(reason);
        using (client)
        {
            Assert.True(await Eventually.TrueAsync(() => fixture.ReceiverA.For(id).Count == 1, Eventually.Patience), "receiver A got grant.issued");
            (await client.RevokeAsync(id)).EnsureSuccessStatusCode();
        }
        Assert.True(await Eventually.TrueAsync(() => fixture.ReceiverB.For(id).Count == 1, Eventually.Patience), "receiver B got grant.ended");
        Assert.True(await Eventually.TrueAsync(() => fixture.SettledAsync(id), Eventually.Patience), "nothing left pending");

        Assert.Equal(["grant.issued", "grant.ended"], fixture.ReceiverA.For(id).Select(body => (string?)body["type"]));
        Assert.Equal(["grant.ended"], fixture.ReceiverB.For(id).Select(body => (string?)body["type"]));
        var issued = fixture.ReceiverA.For(id)[0];
        Assert.Equal(reason, (string?)issued["data"]!["reason"]);
        Assert.Equal($"{NotificationsFixture.PublicUrl}/grants/{id}", (string?)issued["grantUrl"]);
        Assert.Equal(fixture.ReceiverA.For(id)[1]["id"]!.ToString(), fixture.ReceiverB.For(id)[0]["id"]!.ToString());
        Assert.Equal(0, fixture.ReceiverA.Refused + fixture.ReceiverB.Refused);

        var slack = SlackMessagesFor(id);
        Assert.Equal(2, slack.Count);
        var text = slack[0].ToJsonString(Unescaped);
        Assert.Contains("&lt;!channel&gt; &amp; &lt;https://evil.example|click here&gt;", (string?)slack[0]["blocks"]![1]!["text"]!["text"]);
        Assert.DoesNotContain("<!channel>", text, StringComparison.Ordinal);
        Assert.Contains($"<{NotificationsFixture.PublicUrl}/grants/{id}|", text, StringComparison.Ordinal);
        Assert.All(slack, message => Assert.Empty(SlackDouble.BlockProblems(message["blocks"]!.AsArray())));
        Assert.DoesNotContain(fixture.Log, line => line.Contains(SlackDouble.BotToken, StringComparison.Ordinal)
                                                   || line.Contains(fixture.ReceiverA.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlacksRetryAfterIsHonouredAndTheMessageStillArrivesOnce()
    {
        var marker = $"rate-limited-{Guid.NewGuid():N}";
        fixture.Slack.RateLimitNext(marker, retryAfterSeconds: 2);

        var (client, id) = await BreakGlassAsync($"Payments are failing, {marker}");
        client.Dispose();

        Assert.True(await Eventually.TrueAsync(() => SlackMessagesFor(id).Count == 1, Eventually.Patience), "Slack got the message after the limit");
        Assert.True(await Eventually.TrueAsync(() => fixture.SettledAsync(id), Eventually.Patience));
        Assert.True(fixture.Slack.RateLimitedAnswers >= 1);
        Assert.Equal(0, fixture.Slack.EarlyRequests);
        Assert.Single(SlackMessagesFor(id));
        Assert.Equal(1L, await fixture.CountAsync(id, "channel = 'slack' AND status = 'delivered' AND attempts = 2"));
    }

    [Fact]
    public async Task APermanentSlackErrorIsRecordedOnceAndNeitherRetriedNorFailingTheGrant()
    {
        var marker = $"channel-gone-{Guid.NewGuid():N}";
        fixture.Slack.FailNext(marker, "channel_not_found");

        var (client, id) = await BreakGlassAsync($"Queue is stuck, {marker}");
        using (client)
        {
            Assert.True(await Eventually.TrueAsync(async () => await fixture.CountAsync(id, "channel = 'slack' AND status = 'failed'") == 1, Eventually.Patience));
            Assert.Equal("Active", (await client.GetGrantAsync(id)).Status);
            (await client.RevokeAsync(id)).EnsureSuccessStatusCode();
        }
        // The grant's next notification went through: the sweeper moved on instead of retrying the failed one.
        Assert.True(await Eventually.TrueAsync(() => SlackMessagesFor(id).Count == 1, Eventually.Patience));
        Assert.True(await Eventually.TrueAsync(() => fixture.SettledAsync(id), Eventually.Patience));

        Assert.Single(fixture.Slack.Requests, body => body.Contains(marker, StringComparison.Ordinal) && body.Contains("Glass broken", StringComparison.Ordinal));
        Assert.Contains("channel_not_found", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT last_error FROM notification_outbox WHERE grant_id = @id AND channel = 'slack' AND type = 'grant.issued'", ("id", Guid.Parse(id))));
        Assert.Equal(2, fixture.ReceiverA.For(id).Count);
    }

    private async Task<(HttpClient Client, string Id)> BreakGlassAsync(string reason)
    {
        var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var grant = await (await client.BreakGlassAsync(fixture.TakeDedicatedRole(), reason: reason)).ReadObjectAsync(HttpStatusCode.Created);
        return (client, (string)grant["id"]!);
    }

    private List<JsonObject> SlackMessagesFor(string grantId) =>
        fixture.Slack.Posted.Where(message => message.ToJsonString().Contains($"/grants/{grantId}", StringComparison.Ordinal)).ToList();
}
