using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Notifications;

/// <summary>
/// BreakGlass routing to a Slack double (Web API, every type), receiver A (every type) and receiver B
/// (<c>grant.ended</c> only), delivering every second.
/// </summary>
public class NotificationsFixture : BreakGlassFixture
{
    public const string PublicUrl = "https://breakglass.example.com";

    internal SlackDouble Slack { get; private set; } = null!;
    internal WebhookReceiver ReceiverA { get; private set; } = null!;
    internal WebhookReceiver ReceiverB { get; private set; } = null!;

    private protected override async Task BeforeServiceStartsAsync()
    {
        Slack = await SlackDouble.StartAsync();
        ReceiverA = await WebhookReceiver.StartAsync();
        ReceiverB = await WebhookReceiver.StartAsync();
        Overrides["BreakGlass__PublicUrl"] = PublicUrl;
        Overrides["Notifications__SweepIntervalSeconds"] = "1";
        Overrides["Notifications__Slack__BotToken"] = SlackDouble.BotToken;
        Overrides["Notifications__Slack__Channel"] = SlackDouble.Channel;
        Overrides["Notifications__Slack__ApiUrl"] = Slack.ApiUrl.ToString();
        Overrides["Notifications__Webhooks__0__Url"] = ReceiverA.Url.ToString();
        Overrides["Notifications__Webhooks__0__Secret"] = ReceiverA.Secret;
        Overrides["Notifications__Webhooks__1__Url"] = ReceiverB.Url.ToString();
        Overrides["Notifications__Webhooks__1__Secret"] = ReceiverB.Secret;
        Overrides["Notifications__Webhooks__1__Events__0"] = "grant.ended";
    }

    /// <summary>Whether every notification queued for the grant has been delivered or given up (none pending).</summary>
    internal async Task<bool> SettledAsync(string grantId) =>
        await Database.ScalarAsync<long>(ConnectionString,
            "SELECT count(*) FROM notification_outbox WHERE grant_id = @id AND status = 'pending'", ("id", Guid.Parse(grantId))) == 0;

    internal Task<long> CountAsync(string grantId, string where) =>
        Database.ScalarAsync<long>(ConnectionString,
            $"SELECT count(*) FROM notification_outbox WHERE grant_id = @id AND {where}", ("id", Guid.Parse(grantId)));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Slack.DisposeAsync();
        await ReceiverA.DisposeAsync();
        await ReceiverB.DisposeAsync();
    }
}
