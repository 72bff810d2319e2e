using System.Net.Http.Headers;
using System.Text;

namespace BreakGlass.Notifications;

/// <summary>A generic receiver: the stored payload as the body, signed with the receiver's secret.</summary>
internal sealed class WebhookChannel(string id, WebhookOptions options, IReadOnlyList<string> events, HttpClient http, TimeProvider time)
    : INotificationChannel
{
    public const string DeliveryHeader = "X-BreakGlass-Delivery";

    public string Id => id;

    public bool Takes(string type) => events.Count == 0 || events.Contains(type, StringComparer.Ordinal);

    public async Task<DeliveryOutcome> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(entry.Payload);
        var now = time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(options.Secret!, timestamp, body));
        request.Headers.Add(DeliveryHeader, entry.Id.ToString());
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return DeliveryOutcome.OfHttpAnswer(response, await response.Content.ReadAsStringAsync(cancellationToken), time.GetUtcNow());
        }
        catch (HttpRequestException failure)
        {
            return DeliveryOutcome.Retry($"the receiver could not be reached: {failure.Message}");
        }
    }
}
