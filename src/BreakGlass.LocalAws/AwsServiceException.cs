using System.Text.Json;

namespace BreakGlass.LocalAws;

/// <summary>An error answered in the AWS JSON 1.1 shape: <c>{"__type": "...", "message": "..."}</c>.</summary>
internal sealed class AwsServiceException(int statusCode, string type, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Type { get; } = type;

    public static AwsServiceException Validation(string message) => new(400, "ValidationException", message);

    public static AwsServiceException Serialization(string message) => new(400, "SerializationException", message);

    public async Task WriteAsync(HttpResponse response, string requestId)
    {
        response.StatusCode = StatusCode;
        response.ContentType = "application/x-amz-json-1.1";
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers["x-amzn-ErrorType"] = Type;
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("__type", Type);
        writer.WriteString("message", Message);
        writer.WriteEndObject();
    }
}
