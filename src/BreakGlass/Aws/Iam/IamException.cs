using System.Net;
using System.Xml;
using System.Xml.Linq;

namespace BreakGlass.Aws.Iam;

/// <summary>An error answer from IAM (or the STS/auth layer in front of it), parsed from its XML body.</summary>
internal sealed class IamException(HttpStatusCode statusCode, string code, string serviceMessage, string? requestId)
    : Exception($"{code}: {serviceMessage}")
{
    public const string NoSuchEntity = "NoSuchEntity";

    // botocore's standard retry mode treats these as throttling; IAM itself answers "Throttling".
    // IAM's "LimitExceeded" is a quota (e.g. policy size), not a rate: it is deliberately absent.
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
    };

    // ConcurrentModification: IAM's own advice is to wait and submit the request again.
    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "ServiceFailure", "ServiceUnavailable", "InternalFailure", "InternalError",
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "ConcurrentModification",
    };

    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>IAM's error code, e.g. <c>NoSuchEntity</c>, <c>Throttling</c>, <c>AccessDenied</c>.</summary>
    public string Code { get; } = code;

    /// <summary>IAM's own message, without the code in front.</summary>
    public string ServiceMessage { get; } = serviceMessage;

    public string? RequestId { get; } = requestId;

    public bool IsThrottling => ThrottlingCodes.Contains(Code) || StatusCode == HttpStatusCode.TooManyRequests;

    public bool IsTransient => IsThrottling || (int)StatusCode >= 500 || TransientCodes.Contains(Code);

    /// <summary>
    /// Reads <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type/&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>,
    /// with or without IAM's namespace and the <c>&lt;Errors&gt;</c> wrapper moto's auth layer adds.
    /// A body that is not such XML (a proxy's HTML page) still yields an exception carrying the status.
    /// </summary>
    public static IamException FromResponse(HttpStatusCode statusCode, string body)
    {
        var root = TryParse(body);
        var error = root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
        var code = Child(error, "Code");
        if (code is null)
        {
            return new IamException(statusCode, $"Http{(int)statusCode}", Excerpt(body), null);
        }
        var requestId = root!.Descendants()
            .FirstOrDefault(e => e.Name.LocalName is "RequestId" or "RequestID")?.Value.Trim();
        return new IamException(statusCode, code, Child(error, "Message") ?? "", requestId);
    }

    private static XElement? TryParse(string body)
    {
        try
        {
            return XDocument.Parse(body).Root;
        }
        catch (XmlException)
        {
            return null;
        }
    }

    private static string? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value.Trim();

    private static string Excerpt(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 200 ? flat : flat[..200];
    }
}
