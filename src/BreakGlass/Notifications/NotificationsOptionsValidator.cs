using Microsoft.Extensions.Options;

namespace BreakGlass.Notifications;

/// <summary>Refuses to start on a route that could never deliver, or could leak: the message names the key to fix.</summary>
internal sealed class NotificationsOptionsValidator : IValidateOptions<NotificationsOptions>
{
    public ValidateOptionsResult Validate(string? name, NotificationsOptions options)
    {
        var failures = new List<string>();
        var slack = options.Slack;
        if (slack.UsesWebApi != !string.IsNullOrWhiteSpace(slack.Channel))
            failures.Add("Notifications:Slack:BotToken and Notifications:Slack:Channel must be set together.");
        if (slack.UsesWebApi && slack.WebhookUrl is not null)
            failures.Add("Notifications:Slack: set either BotToken and Channel (Web API) or WebhookUrl (incoming webhook), not both.");
        if (slack.BotToken is { } token && token.Any(char.IsControl))
            failures.Add("Notifications:Slack:BotToken contains control characters (a pasted line break?).");
        CheckUrl(failures, "Notifications:Slack:ApiUrl", slack.ApiUrl);
        if (slack.WebhookUrl is { } slackWebhook) CheckUrl(failures, "Notifications:Slack:WebhookUrl", slackWebhook);
        CheckEvents(failures, "Notifications:Slack:Events", slack.Events);
        for (var index = 0; index < options.Webhooks.Count; index++)
        {
            var webhook = options.Webhooks[index];
            var key = $"Notifications:Webhooks:{index}";
            if (webhook.Url is null) failures.Add($"{key}:Url is required.");
            else CheckUrl(failures, $"{key}:Url", webhook.Url);
            if (string.IsNullOrWhiteSpace(webhook.Secret)) failures.Add($"{key}:Secret is required: receivers verify every body with it.");
            CheckEvents(failures, $"{key}:Events", webhook.Events);
        }
        var repeated = options.Webhooks.Where(webhook => webhook.Url is not null).GroupBy(webhook => webhook.Url!.AbsoluteUri).Where(group => group.Count() > 1);
        if (repeated.Any()) failures.Add("Notifications:Webhooks: each Url may appear once (list several Events on it instead).");
        if (options.SweepIntervalSeconds is < 1 or > 3600) failures.Add("Notifications:SweepIntervalSeconds must be between 1 and 3600.");
        if (options.GiveUpAfterHours is < 1 or > 24 * 30) failures.Add("Notifications:GiveUpAfterHours must be between 1 and 720.");
        if (options.RequestTimeoutSeconds is < 1 or > 120) failures.Add("Notifications:RequestTimeoutSeconds must be between 1 and 120.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The subscribed types, trimmed and split on commas; empty for all.</summary>
    public static IReadOnlyList<string> Subscribed(IEnumerable<string> events) =>
        events.SelectMany(entry => entry.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();

    // The URL itself may carry a secret (a Slack incoming webhook does): only the key is named.
    private static void CheckUrl(List<string> failures, string key, Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
            failures.Add($"{key} must be an absolute https URL (http only for a loopback address).");
    }

    private static void CheckEvents(List<string> failures, string key, IEnumerable<string> events)
    {
        var unknown = Subscribed(events).Where(type => !NotificationTypes.All.Contains(type, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            failures.Add($"{key} names unknown event(s) {string.Join(", ", unknown.Select(type => $"'{type}'"))}; known: {string.Join(", ", NotificationTypes.All)}.");
    }
}
