using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.LocalAws.CloudTrail;
using Microsoft.AspNetCore.WebUtilities;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>Works out which service and action a signed request calls, and its parameters, across AWS's protocols.</summary>
internal static class AwsCallDescriber
{
    /// <param name="body">The request body when it was buffered (Query and JSON protocols), else null.</param>
    /// <returns>Null when the request names no action AWS would accept.</returns>
    public static AwsCall? Describe(HttpRequest request, SigV4Credential credential, byte[]? body)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
        {
            var dot = target.LastIndexOf('.');
            return dot < 0 || dot == target.Length - 1
                ? null
                : Named(credential, credential.Service, target[(dot + 1)..], JsonParameters(body));
        }
        if (credential.Service == "s3")
        {
            var (action, parameters, isDataEvent) = S3Operations.Describe(request);
            return Named(credential, "s3", action, parameters) with { IsDataEvent = isDataEvent };
        }
        var query = QueryParameters(request, body);
        if (query.Remove("Action", out var queryAction))
        {
            query.Remove("Version");
            return Named(credential, credential.Service, queryAction, RequestParameters.FromQuery(query));
        }
        // A REST API this front has no names for: the method and path still say what happened.
        return new AwsCall(credential, credential.Service, $"{request.Method} {request.Path}", [],
            ReadOnly: HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method), IsDataEvent: false);
    }

    // Named actions follow AWS's convention, not the HTTP method: Query APIs accept GET for CreateUser too.
    private static AwsCall Named(SigV4Credential credential, string service, string action, JsonObject parameters) =>
        new(credential, service, action, parameters, StoredEvent.IsReadOnlyName(action), IsDataEvent: false);

    public static bool IsBuffered(HttpRequest request) =>
        request.ContentType is { } contentType
        && (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase));

    private static Dictionary<string, string> QueryParameters(HttpRequest request, byte[]? body)
    {
        var parameters = request.Query
            .Where(pair => !pair.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
        if (body is { Length: > 0 } && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (name, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                parameters[name] = value.ToString();
            }
        }
        return parameters;
    }

    private static JsonObject JsonParameters(byte[]? body)
    {
        if (body is not { Length: > 0 }) return [];
        try
        {
            return JsonNode.Parse(body) is JsonObject parsed ? RequestParameters.FromJson(parsed) : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
