namespace BreakGlass.Notifications;

/// <summary>The <c>Notifications</c> section: where notifications go. Nothing configured means nothing is queued or sent.</summary>
internal sealed class NotificationsOptions
{
    public const string Section = "Notifications";

    public SlackOptions Slack { get; set; } = new();

    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>How often every instance delivers what is due.</summary>
    public int SweepIntervalSeconds { get; set; } = 2;

    /// <summary>A notification a channel could not take for this long (an outage, a rate limit) is recorded as failed.</summary>
    public int GiveUpAfterHours { get; set; } = 24;

    /// <summary>How long one delivery may wait for Slack or a receiver.</summary>
    public int RequestTimeoutSeconds { get; set; } = 10;
}

internal sealed class SlackOptions
{
    public static readonly Uri SlackWebApi = new("https://slack.com/api/");

    public string? BotToken { get; set; }

    public string? Channel { get; set; }

    public Uri ApiUrl { get; set; } = SlackWebApi;

    /// <summary>An incoming-webhook URL instead of a bot token and channel. It is a secret: never logged.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>The types Slack gets; empty means all.</summary>
    public List<string> Events { get; set; } = [];

    public bool UsesWebApi => !string.IsNullOrWhiteSpace(BotToken);

    public bool IsConfigured => UsesWebApi || WebhookUrl is not null;
}

internal sealed class WebhookOptions
{
    public Uri? Url { get; set; }

    /// <summary>The HMAC key the receiver shares.</summary>
    public string? Secret { get; set; }

    /// <summary>The types this receiver gets; empty means all. Entries may also be comma-separated.</summary>
    public List<string> Events { get; set; } = [];
}
