using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BreakGlass.Tickets.Linear;

/// <summary>
/// Reads Linear's answer the way @linear/sdk does: GraphQL errors (usually on HTTP 200) are classified by
/// <c>extensions.code</c> / <c>extensions.type</c> first, the HTTP status only when the body says nothing.
/// </summary>
internal static class LinearErrors
{
    /// <summary>The error an answer carries, or null when it carries data and no errors.</summary>
    public static LinearException? FromResponse(HttpStatusCode status, HttpResponseHeaders headers, string body, DateTimeOffset now)
    {
        var error = FirstGraphQlError(body);
        var statusCode = (int)status;
        if (error is null && status is >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous)
            return null;

        var kind = error is { } e ? Classify(e) ?? KindOf(statusCode) : KindOf(statusCode);
        var detail = error is { } found ? Describe(found) : $"HTTP {statusCode}";
        return new LinearException(kind, $"Linear: {detail}")
        {
            HttpStatus = statusCode,
            Code = error is { } withCode ? Text(withCode, "extensions", "code") : null,
            RetryAfter = kind == LinearErrorKind.RateLimited ? RetryAfter(headers, now) : null,
        };
    }

    private static LinearErrorKind? Classify(JsonElement error)
    {
        var code = Text(error, "extensions", "code")?.ToUpperInvariant();
        var type = Text(error, "extensions", "type")?.ToLowerInvariant();
        var message = Text(error, "message") ?? "";
        return (code, type) switch
        {
            ("RATELIMITED", _) or (_, "ratelimited") => LinearErrorKind.RateLimited,
            ("AUTHENTICATION_ERROR", _) or (_, "authentication error") => LinearErrorKind.Authentication,
            ("FORBIDDEN", _) or (_, "forbidden" or "feature not accessible" or "usage limit exceeded") => LinearErrorKind.Forbidden,
            _ when message.StartsWith("Entity not found", StringComparison.Ordinal) => LinearErrorKind.NotFound,
            (_, "internal error" or "lock timeout" or "network error" or "bootstrap error") or ("INTERNAL_SERVER_ERROR", _) => LinearErrorKind.Transient,
            ("INPUT_ERROR" or "GRAPHQL_VALIDATION_FAILED" or "GRAPHQL_PARSE_FAILED" or "BAD_USER_INPUT", _)
                or (_, "invalid input" or "graphql error" or "user error") => LinearErrorKind.InvalidInput,
            _ => null,
        };
    }

    private static LinearErrorKind KindOf(int status) => status switch
    {
        401 => LinearErrorKind.Authentication,
        403 => LinearErrorKind.Forbidden,
        429 => LinearErrorKind.RateLimited,
        408 or >= 500 => LinearErrorKind.Transient,
        _ => LinearErrorKind.InvalidInput,
    };

    private static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
            return retryAfter.Delta ?? (retryAfter.Date is { } date ? NotNegative(date - now) : null);
        foreach (var header in (string[])["X-RateLimit-Requests-Reset", "X-RateLimit-Complexity-Reset"])
        {
            if (headers.TryGetValues(header, out var values)
                && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var reset))
                return NotNegative(ResetTime(reset) - now);
        }
        return null;
    }

    /// <summary>Linear documents these resets as UTC epoch milliseconds; a value in seconds is read as such.</summary>
    private static DateTimeOffset ResetTime(long epoch) =>
        epoch > 100_000_000_000
            ? DateTimeOffset.FromUnixTimeMilliseconds(epoch)
            : DateTimeOffset.FromUnixTimeSeconds(epoch);

    private static TimeSpan NotNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

    private static JsonElement? FirstGraphQlError(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0
                    ? errors[0].Clone()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(JsonElement error)
    {
        var message = Text(error, "extensions", "userPresentableMessage") ?? Text(error, "message") ?? "unknown error";
        var code = Text(error, "extensions", "code");
        return code is null ? message : $"{message} ({code})";
    }

    private static string? Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
                return null;
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
