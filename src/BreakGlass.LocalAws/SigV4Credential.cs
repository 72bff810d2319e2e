using System.Globalization;
using System.Text.RegularExpressions;

namespace BreakGlass.LocalAws;

/// <summary>
/// The credential scope of a SigV4-signed request (<c>AKID/20250314/us-east-1/s3/aws4_request</c>), from the
/// Authorization header or a presigned URL. The signature itself is moto's to check: this front only needs
/// to know who called which service where, and to refuse what AWS refuses before looking at a signature.
/// </summary>
internal sealed partial record SigV4Credential(string AccessKeyId, string Date, string Region, string Service)
{
    private const string Algorithm = "AWS4-HMAC-SHA256";

    /// <returns>The credential, or null with <paramref name="problem"/> null when the request is unsigned.</returns>
    public static SigV4Credential? Read(HttpRequest request, out string? problem)
    {
        problem = null;
        if (request.Headers.Authorization.ToString() is { Length: > 0 } authorization)
        {
            return FromHeader(request, authorization, out problem);
        }
        if (request.Query.TryGetValue("X-Amz-Credential", out var credential))
        {
            if (request.Query["X-Amz-Algorithm"] != Algorithm || !IsSignature(request.Query["X-Amz-Signature"]) || string.IsNullOrEmpty(request.Query["X-Amz-SignedHeaders"]))
            {
                problem = "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'.";
                return null;
            }
            return Scope(credential.ToString(), out problem);
        }
        return null;
    }

    private static SigV4Credential? FromHeader(HttpRequest request, string authorization, out string? problem)
    {
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            problem = $"Authorization header requires the '{Algorithm}' algorithm.";
            return null;
        }
        var parts = authorization[(Algorithm.Length + 1)..]
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("Credential", out var credential)
            || !parts.TryGetValue("SignedHeaders", out var signedHeaders)
            || !parts.TryGetValue("Signature", out var signature))
        {
            problem = "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
            return null;
        }
        if (!SignedHeadersPattern().IsMatch(signedHeaders) || !signedHeaders.Split(';').Contains("host"))
        {
            problem = "'SignedHeaders' must be lowercase header names separated by ';' and include 'host'.";
            return null;
        }
        if (!IsSignature(signature))
        {
            problem = "'Signature' must be 64 lowercase hexadecimal characters.";
            return null;
        }
        if (string.IsNullOrEmpty(request.Headers["X-Amz-Date"]) && string.IsNullOrEmpty(request.Headers.Date))
        {
            problem = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
            return null;
        }
        return Scope(credential, out problem);
    }

    private static SigV4Credential? Scope(string credential, out string? problem)
    {
        var scope = credential.Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request" || scope.Take(4).Any(string.IsNullOrEmpty)
            || !DateOnly.TryParseExact(scope[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problem = $"Credential should be scoped to a valid date, region and service: 'AKID/yyyyMMdd/region/service/aws4_request', not '{credential}'.";
            return null;
        }
        problem = null;
        return new SigV4Credential(scope[0], scope[1], scope[2], scope[3]);
    }

    private static bool IsSignature(string? value) => value is not null && SignaturePattern().IsMatch(value);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex SignaturePattern();

    [GeneratedRegex("^[a-z0-9-]+(;[a-z0-9-]+)*$")]
    private static partial Regex SignedHeadersPattern();
}
