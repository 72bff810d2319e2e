using System.Net;
using System.Text.Json;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>An error CloudTrail answered with, in its JSON 1.1 error shape.</summary>
internal sealed class CloudTrailException(string errorCode, string message, HttpStatusCode statusCode, string? requestId)
    : Exception($"CloudTrail {errorCode} ({(int)statusCode}): {message}")
{
    public string ErrorCode { get; } = errorCode;

    public string ErrorMessage { get; } = message;

    public HttpStatusCode StatusCode { get; } = statusCode;

    public string? RequestId { get; } = requestId;

    public bool IsThrottling => ErrorCode is "ThrottlingException" or "Throttling" or "TooManyRequestsException" or "RequestLimitExceeded";

    /// <summary>Worth retrying with backoff: throttling and the service's own failures.</summary>
    public bool IsTransient => IsThrottling || (int)StatusCode >= 500;

    /// <summary>
    /// Reads <c>{"__type": "...", "message": "..."}</c>. The type may be namespace-qualified
    /// (<c>com.amazonaws.cloudtrail.v20131101#InvalidNextTokenException</c>) and the message member
    /// is spelled <c>message</c> or <c>Message</c> depending on the service's framework.
    /// </summary>
    public static CloudTrailException FromResponse(HttpStatusCode statusCode, ReadOnlySpan<byte> body, string? requestId, string? errorTypeHeader)
    {
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && name == "__type") type = reader.GetString();
                    else if (reader.TokenType == JsonTokenType.String && name is "message" or "Message") message = reader.GetString();
                    else reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // A proxy or load balancer in the way may answer with HTML: keep the status code.
        }
        type ??= errorTypeHeader;
        return new CloudTrailException(
            ShapeName(type) ?? $"Http{(int)statusCode}",
            message ?? statusCode.ToString(),
            statusCode,
            requestId);
    }

    private static string? ShapeName(string? type)
    {
        if (string.IsNullOrEmpty(type)) return null;
        // x-amzn-ErrorType may carry ":http://internal.amazon.com/..." after the name.
        var colon = type.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0) type = type[..colon];
        var hash = type.LastIndexOf('#');
        return hash >= 0 ? type[(hash + 1)..] : type;
    }
}
