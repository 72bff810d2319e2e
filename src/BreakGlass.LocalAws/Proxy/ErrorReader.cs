using System.Text.Json;
using System.Xml;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>Reads the error code and message out of an AWS error response, XML or JSON.</summary>
internal static class ErrorReader
{
    public static (string Code, string? Message) Read(int statusCode, byte[] body, string service)
    {
        var (code, message) = body.AsSpan().TrimStart(" \t\r\n"u8) switch
        {
            [(byte)'{', ..] => FromJson(body),
            [(byte)'<', ..] => FromXml(body),
            _ => (null, null),
        };
        // A HEAD request has no body to carry the code.
        code ??= statusCode switch
        {
            403 => "AccessDenied",
            404 => "NotFound",
            _ => $"Http{statusCode}",
        };
        // CloudTrail writes EC2's error codes with the side that failed: Client.UnauthorizedOperation.
        if (service == "ec2" && !code.Contains('.', StringComparison.Ordinal))
        {
            code = (statusCode >= 500 ? "Server." : "Client.") + code;
        }
        return (code, message);
    }

    private static (string?, string?) FromJson(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var type = root.TryGetProperty("__type", out var value) ? value.GetString() : null;
            var message = root.TryGetProperty("message", out value) || root.TryGetProperty("Message", out value) ? value.GetString() : null;
            return (type?[(type.LastIndexOf('#') + 1)..], message);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    private static (string?, string?) FromXml(byte[] body)
    {
        string? code = null, message = null;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            // ReadElementContentAsString already moves to the next node, so only other nodes call Read.
            while ((code is null || message is null) && !reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && code is null && reader.LocalName == "Code") code = reader.ReadElementContentAsString();
                else if (reader.NodeType == XmlNodeType.Element && message is null && reader.LocalName == "Message") message = reader.ReadElementContentAsString();
                else reader.Read();
            }
        }
        catch (XmlException)
        {
            // Keep whatever was read before the malformed part.
        }
        return (code, message);
    }
}
