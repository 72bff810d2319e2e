using BreakGlass.Notifications;

namespace BreakGlass.Tests.Notifications;

public sealed class NotificationsOptionsTests
{
    private static readonly NotificationsOptionsValidator Validator = new();

    [Fact]
    public void NothingConfiguredIsValidAndRoutesNowhere() => Assert.True(Validator.Validate(null, new NotificationsOptions()).Succeeded);

    [Fact]
    public void AFullConfigurationIsValid() =>
        Assert.True(Validator.Validate(null, new NotificationsOptions
        {
            Slack = new SlackOptions { BotToken = "xoxb-1", Channel = "C1", Events = ["grant.issued, revocation.failing"] },
            Webhooks = [new WebhookOptions { Url = new Uri("https://hooks.example.com/bg"), Secret = "s3cret", Events = ["check.failed"] },
                        new WebhookOptions { Url = new Uri("http://127.0.0.1:9000/bg"), Secret = "s3cret" }],
        }).Succeeded);

    [Theory]
    [InlineData("http://hooks.example.com/bg", "s", null, "Notifications:Webhooks:0:Url must be an absolute https URL")]
    [InlineData("https://hooks.example.com/bg", null, null, "Notifications:Webhooks:0:Secret is required")]
    [InlineData("https://hooks.example.com/bg", "s", "grant.issued,glass.broken", "Notifications:Webhooks:0:Events names unknown event(s) 'glass.broken'")]
    public void AWebhookThatCouldNotDeliverIsRefusedNamingItsKey(string url, string? secret, string? events, string expected)
    {
        var result = Validator.Validate(null, new NotificationsOptions
        {
            Webhooks = [new WebhookOptions { Url = new Uri(url), Secret = secret, Events = events is null ? [] : [events] }],
        });

        Assert.Contains(result.Failures!, failure => failure.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void SlackNeedsATokenWithAChannelAndOnlyOneWayIn()
    {
        var tokenOnly = Validator.Validate(null, new NotificationsOptions { Slack = new SlackOptions { BotToken = "xoxb-1" } });
        var both = Validator.Validate(null, new NotificationsOptions
        {
            Slack = new SlackOptions { BotToken = "xoxb-1", Channel = "C1", WebhookUrl = new Uri("https://hooks.slack.com/services/T/B/X") },
        });
        var plainHttp = Validator.Validate(null, new NotificationsOptions { Slack = new SlackOptions { WebhookUrl = new Uri("http://hooks.slack.com/services/T/B/X") } });

        Assert.Contains("must be set together", Assert.Single(tokenOnly.Failures!));
        Assert.Contains("not both", Assert.Single(both.Failures!));
        var failure = Assert.Single(plainHttp.Failures!);
        Assert.StartsWith("Notifications:Slack:WebhookUrl must be an absolute https URL", failure);
        Assert.DoesNotContain("/services/", failure);
    }
}
