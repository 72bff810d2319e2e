using GraphQL;

namespace BreakGlass.Tests.Linear;

/// <summary>
/// An error the way Linear words it: <c>extensions.type</c> (what @linear/sdk switches on),
/// <c>extensions.code</c>, the HTTP-like <c>statusCode</c> and a <c>userPresentableMessage</c>.
/// </summary>
internal sealed class LinearDoubleError(string message, string type, string code, int statusCode, string userPresentableMessage)
    : ExecutionError(message)
{
    public string Type { get; } = type;
    public int StatusCode { get; } = statusCode;
    public string UserPresentableMessage { get; } = userPresentableMessage;
    public string LinearCode { get; } = code;

    /// <summary>Linear answers a lookup of a missing entity with HTTP 200 and this error (data: null).</summary>
    public static LinearDoubleError NotFound(string entity) =>
        new($"Entity not found: {entity}", "invalid input", "INPUT_ERROR", 400, $"Could not find referenced {entity}.");

    public static LinearDoubleError InvalidInput(string userPresentableMessage) =>
        new("Argument Validation Error", "invalid input", "INPUT_ERROR", 400, userPresentableMessage);

    public static LinearDoubleError ValidationFailed(string message) =>
        new(message, "graphql error", "GRAPHQL_VALIDATION_FAILED", 400, message);

    public static LinearDoubleError AuthenticationRequired() =>
        new("Authentication required, not authenticated", "authentication error", "AUTHENTICATION_ERROR", 401,
            "You need to authenticate to access this operation.");

    public static LinearDoubleError RateLimited() =>
        new("Rate limit exceeded", "ratelimited", "RATELIMITED", 429,
            "You have exceeded the rate limit. Please try again later.");

    public Dictionary<string, object?> LinearExtensions() => new()
    {
        ["type"] = Type,
        ["code"] = LinearCode,
        ["statusCode"] = StatusCode,
        ["userError"] = StatusCode < 500,
        ["userPresentableMessage"] = UserPresentableMessage,
    };
}
