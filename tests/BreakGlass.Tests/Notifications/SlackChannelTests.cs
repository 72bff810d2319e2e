using System.Text.Json;
using BreakGlass.Notifications;

namespace BreakGlass.Tests.Notifications;

/// <summary>One Slack delivery at a time against the Slack double over real HTTP: how each answer is judged.</summary>
public sealed class SlackChannelTests : IAsyncLifetime
{
    private readonly HttpClient _http = new();
    private SlackDouble _slack = null!;

    public async Task InitializeAsync() => _slack = await SlackDouble.StartAsync();

    [Fact]
    public async Task AnIncomingWebhookTakesTheMessageWithoutAToken()
    {
        var outcome = await Channel(new SlackOptions { WebhookUrl = _slack.WebhookUrl }).DeliverAsync(Entry("via webhook"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, outcome.Result);
        Assert.Contains("via webhook", Assert.Single(_slack.Posted).ToJsonString());
    }

    [Fact]
    public async Task AWrongTokenIsAPermanentFailureNamingSlacksError()
    {
        var outcome = await Channel(WebApi(token: "xoxb-revoked")).DeliverAsync(Entry("wrong token"), CancellationToken.None);

        Assert.Equal(DeliveryResult.Failed, outcome.Result);
        Assert.Contains("invalid_auth", outcome.Error);
        Assert.DoesNotContain("xoxb-revoked", outcome.Error);
        Assert.Empty(_slack.Posted);
    }

    [Fact]
    public async Task RateLimitedIsRetriedAfterWhatSlackAsked()
    {
        _slack.RateLimitNext("limited", retryAfterSeconds: 30);

        var outcome = await Channel(WebApi()).DeliverAsync(Entry("limited"), CancellationToken.None);

        Assert.Equal((DeliveryResult.Retry, TimeSpan.FromSeconds(30)), (outcome.Result, outcome.RetryAfter));
    }

    [Theory]
    [InlineData("internal_error", true)]
    [InlineData("channel_not_found", false)]
    [InlineData("is_archived", false)]
    public async Task SlacksOkFalseErrorsAreJudgedTransientOrPermanent(string error, bool transient)
    {
        _slack.FailNext(error, error);

        var outcome = await Channel(WebApi()).DeliverAsync(Entry($"answer {error}"), CancellationToken.None);

        Assert.Equal(transient ? DeliveryResult.Retry : DeliveryResult.Failed, outcome.Result);
        Assert.Contains(error, outcome.Error);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _slack.DisposeAsync();
    }

    private SlackOptions WebApi(string token = SlackDouble.BotToken) =>
        new() { BotToken = token, Channel = SlackDouble.Channel, ApiUrl = _slack.ApiUrl };

    private SlackChannel Channel(SlackOptions options) => new(options, [], _http, TimeProvider.System);

    private static OutboxEntry Entry(string text)
    {
        var payload = new NotificationPayload(Guid.NewGuid(), NotificationTypes.GrantIssued, NotificationSeverity.Warning, DateTimeOffset.UnixEpoch,
            "Glass broken", text, null, null, JsonSerializer.SerializeToElement(new { reason = text }));
        return new OutboxEntry(Guid.NewGuid(), payload.Id, payload.Type, SlackChannel.ChannelId, payload.ToJson(), 0, DateTimeOffset.UnixEpoch);
    }
}
