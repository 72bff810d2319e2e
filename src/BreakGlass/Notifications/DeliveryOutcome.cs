using System.Net;

namespace BreakGlass.Notifications;

internal enum DeliveryResult
{
    Delivered,
    /// <summary>Worth another attempt: an outage, a 5xx, a rate limit.</summary>
    Retry,
    /// <summary>Another attempt would fail the same way (a wrong token, an unknown channel): recorded, never retried.</summary>
    Failed,
}

/// <param name="RetryAfter">What the channel asked for (HTTP <c>Retry-After</c>); it holds the whole channel, not just this row.</param>
internal sealed record DeliveryOutcome(DeliveryResult Result, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static readonly DeliveryOutcome Delivered = new(DeliveryResult.Delivered);

    public static DeliveryOutcome Retry(string error, TimeSpan? retryAfter = null) => new(DeliveryResult.Retry, error, retryAfter);

    public static DeliveryOutcome Failed(string error) => new(DeliveryResult.Failed, error);

    /// <summary>A plain HTTP receiver's answer: 2xx delivered, 408/429/5xx again later, any other 4xx a permanent refusal.</summary>
    public static DeliveryOutcome OfHttpAnswer(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        if (response.IsSuccessStatusCode) return Delivered;
        var error = $"HTTP {(int)response.StatusCode}: {Shorten(body)}";
        return response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => Retry(error, RetryAfterOf(response, now)),
            HttpStatusCode.RequestTimeout => Retry(error),
            >= HttpStatusCode.InternalServerError => Retry(error, RetryAfterOf(response, now)),
            _ => Failed(error),
        };
    }

    public static TimeSpan? RetryAfterOf(HttpResponseMessage response, DateTimeOffset now) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };

    /// <summary>Enough of an error body to diagnose; receivers' pages are not stored whole.</summary>
    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
