using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BreakGlass.Notifications;

/// <summary>
/// Slack, through the Web API (<c>chat.postMessage</c> with a bot token) or an incoming webhook. Slack has no
/// idempotency key: the outbox's claim is what keeps a message to one post.
/// </summary>
internal sealed class SlackChannel(SlackOptions options, IReadOnlyList<string> events, HttpClient http, TimeProvider time) : INotificationChannel
{
    public const string ChannelId = "slack";

    /// <summary>Slack's answers worth another attempt; every other <c>ok:false</c> error (invalid_auth, channel_not_found, ...) is permanent.</summary>
    private static readonly HashSet<string> TransientErrors =
        ["ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"];

    public string Id => ChannelId;

    public bool Takes(string type) => events.Count == 0 || events.Contains(type, StringComparer.Ordinal);

    public async Task<DeliveryOutcome> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var message = SlackMessage.Render(NotificationPayload.Parse(entry.Payload));
        try
        {
            return options.UsesWebApi
                ? await PostMessageAsync(message, cancellationToken)
                : await PostToWebhookAsync(message, cancellationToken);
        }
        catch (HttpRequestException failure)
        {
            // The message names the host only: an incoming webhook's path is its secret.
            return DeliveryOutcome.Retry($"Slack could not be reached: {failure.Message}");
        }
    }

    private async Task<DeliveryOutcome> PostMessageAsync(JsonObject message, CancellationToken cancellationToken)
    {
        message["channel"] = options.Channel;
        message["unfurl_links"] = false;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.ApiUrl, "chat.postMessage"))
        {
            Content = JsonContent.Create(message, mediaType: new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || !response.IsSuccessStatusCode)
        {
            return DeliveryOutcome.OfHttpAnswer(response, body, time.GetUtcNow());
        }
        var (ok, error) = ReadAnswer(body);
        if (ok) return DeliveryOutcome.Delivered;
        var described = $"Slack answered ok:false, error \"{error}\"";
        return TransientErrors.Contains(error)
            ? DeliveryOutcome.Retry(described, DeliveryOutcome.RetryAfterOf(response, time.GetUtcNow()))
            : DeliveryOutcome.Failed(described);
    }

    private async Task<DeliveryOutcome> PostToWebhookAsync(JsonObject message, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(options.WebhookUrl, message, cancellationToken);
        return DeliveryOutcome.OfHttpAnswer(response, await response.Content.ReadAsStringAsync(cancellationToken), time.GetUtcNow());
    }

    private static (bool Ok, string Error) ReadAnswer(string body)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            var ok = answer.RootElement.TryGetProperty("ok", out var okValue) && okValue.ValueKind == JsonValueKind.True;
            var error = answer.RootElement.TryGetProperty("error", out var errorValue) ? errorValue.GetString() ?? "" : "";
            return (ok, ok ? "" : error);
        }
        catch (JsonException)
        {
            return (false, "not_json: " + DeliveryOutcome.Shorten(body));
        }
    }
}
