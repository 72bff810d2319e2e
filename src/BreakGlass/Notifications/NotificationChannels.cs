using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace BreakGlass.Notifications;

/// <summary>The channels this configuration routes to; none unless <c>Notifications</c> names some.</summary>
internal sealed class NotificationChannels
{
    public const string HttpClientName = "notifications";

    public NotificationChannels(IOptions<NotificationsOptions> options, IHttpClientFactory http, TimeProvider time)
    {
        var settings = options.Value;
        var channels = new List<INotificationChannel>();
        if (settings.Slack.IsConfigured)
        {
            channels.Add(new SlackChannel(settings.Slack, NotificationsOptionsValidator.Subscribed(settings.Slack.Events), http.CreateClient(HttpClientName), time));
        }
        foreach (var webhook in settings.Webhooks)
        {
            channels.Add(new WebhookChannel(WebhookId(webhook.Url!), webhook, NotificationsOptionsValidator.Subscribed(webhook.Events), http.CreateClient(HttpClientName), time));
        }
        All = channels;
    }

    public IReadOnlyList<INotificationChannel> All { get; }

    public IReadOnlyList<string> Ids => All.Select(channel => channel.Id).ToList();

    public INotificationChannel? Find(string id) => All.FirstOrDefault(channel => channel.Id == id);

    /// <summary>
    /// Named by its URL, not its place in the list: reordering the configuration must not send a queued notification
    /// to another receiver. A hash, because the URL may hold a token.
    /// </summary>
    public static string WebhookId(Uri url) => "webhook:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)))[..16];
}
