using System.Security;
using System.Text;
using BreakGlass.LocalAws.Proxy;

namespace BreakGlass.LocalAws.Iam;

/// <summary>An error the front answers itself, in the wire format of the service that was called.</summary>
internal static class AwsErrorAnswer
{
    public static PendingAnswer For(AwsCall call, HttpRequest request, int statusCode, string code, string message)
    {
        var requestId = Guid.NewGuid().ToString();
        var (contentType, body) = call.Service switch
        {
            "s3" => ("application/xml",
                $"""<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{Escape(message)}</Message><RequestId>{requestId}</RequestId></Error>"""),
            _ when request.Headers.ContainsKey("X-Amz-Target") => ("application/x-amz-json-1.1",
                System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code + (code == "AccessDenied" ? "Exception" : ""), ["message"] = message })),
            _ => ("text/xml",
                $"""<ErrorResponse xmlns="https://{call.Service}.amazonaws.com/doc/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{Escape(message)}</Message></Error><RequestId>{requestId}</RequestId></ErrorResponse>"""),
        };
        var bytes = Encoding.UTF8.GetBytes(body);
        return new PendingAnswer(new CallOutcome(statusCode, code, message, requestId), async (response, cancellationToken) =>
        {
            response.StatusCode = statusCode;
            response.ContentType = contentType;
            response.Headers["x-amzn-RequestId"] = requestId;
            await response.Body.WriteAsync(bytes, cancellationToken);
        });
    }

    private static string Escape(string text) => SecurityElement.Escape(text);
}
