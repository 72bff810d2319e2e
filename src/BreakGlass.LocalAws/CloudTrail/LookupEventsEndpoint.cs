using System.Net.Http.Headers;
using System.Text.Json;
using BreakGlass.LocalAws.Proxy;

namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>
/// CloudTrail's LookupEvents, answered from the event store with the checks AWS makes: operation target,
/// JSON 1.1 content type, a well-formed SigV4 authorization scoped to cloudtrail, the request rate, and the body.
/// As in AWS, a caller sees its own account's events only, and the rate limit is per account and region.
/// </summary>
internal sealed class LookupEventsEndpoint(EventStore store, LookupThrottle throttle, KnownIdentities identities)
{
    public const string TargetPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    public const string Target = TargetPrefix + "LookupEvents";

    public PendingAnswer Answer(HttpRequest request, SigV4Credential? credential, string? signatureProblem, byte[] body)
    {
        var requestId = Guid.NewGuid().ToString();
        try
        {
            var region = Admit(request, credential, signatureProblem);
            var query = LookupEventsRequestReader.Read(body);
            var (page, nextToken) = PageOf(query, identities.AccountOf(credential!.AccessKeyId), region);
            return new PendingAnswer(new CallOutcome(StatusCodes.Status200OK, null, null, requestId),
                (response, _) => WriteAsync(response, page, nextToken, requestId));
        }
        catch (AwsServiceException error)
        {
            return new PendingAnswer(new CallOutcome(error.StatusCode, error.Type, error.Message, requestId),
                (response, _) => error.WriteAsync(response, requestId));
        }
    }

    /// <returns>The region the request is for.</returns>
    private string Admit(HttpRequest request, SigV4Credential? credential, string? signatureProblem)
    {
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target != Target)
        {
            throw new AwsServiceException(400, "UnknownOperationException", target.Length == 0 ? "Missing X-Amz-Target header." : $"Unknown operation {target}.");
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType, "application/x-amz-json-1.1", StringComparison.OrdinalIgnoreCase))
        {
            throw new AwsServiceException(400, "UnknownOperationException", "CloudTrail takes Content-Type: application/x-amz-json-1.1.");
        }
        if (signatureProblem is not null)
        {
            throw new AwsServiceException(400, "IncompleteSignatureException", signatureProblem);
        }
        if (credential is null)
        {
            throw new AwsServiceException(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }
        if (credential.Service != "cloudtrail")
        {
            throw new AwsServiceException(403, "InvalidSignatureException", "Credential should be scoped to correct service: 'cloudtrail'.");
        }
        if (!throttle.TryAdmit(identities.AccountOf(credential.AccessKeyId), credential.Region))
        {
            throw new AwsServiceException(400, "ThrottlingException", "Rate exceeded");
        }
        return credential.Region;
    }

    private (List<StoredEvent> Page, string? NextToken) PageOf(LookupEventsQuery query, string account, string region)
    {
        var matching = store.Matching(candidate => (candidate.RecipientAccountId ?? account) == account && query.Selects(candidate, region));
        var queryHash = NextToken.HashOf(query.Canonical(region));
        var first = 0;
        if (query.NextToken is not null)
        {
            var position = NextToken.TryDecode(query.NextToken);
            if (position is null || position.QueryHash != queryHash)
            {
                throw new AwsServiceException(400, "InvalidNextTokenException", "Invalid NextToken: it is malformed or belongs to a request with different parameters.");
            }
            first = matching.FindIndex(position.Precedes);
            if (first < 0) first = matching.Count;
        }
        var page = matching.GetRange(first, Math.Min(query.MaxResults, matching.Count - first));
        var more = first + page.Count < matching.Count;
        return (page, more ? new NextToken(queryHash, page[^1].EventTime, page[^1].EventId).Encode() : null);
    }

    private static async Task WriteAsync(HttpResponse response, List<StoredEvent> page, string? nextToken, string requestId)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/x-amz-json-1.1";
        response.Headers["x-amzn-RequestId"] = requestId;
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartArray("Events");
        foreach (var stored in page)
        {
            writer.WriteStartObject();
            writer.WriteString("EventId", stored.EventId);
            writer.WriteString("EventName", stored.EventName);
            writer.WriteString("ReadOnly", stored.ReadOnly ? "true" : "false");
            if (stored.AccessKeyId is not null) writer.WriteString("AccessKeyId", stored.AccessKeyId);
            writer.WriteNumber("EventTime", stored.EventTime.ToUnixTimeMilliseconds() / 1000m);
            writer.WriteString("EventSource", stored.EventSource);
            if (stored.Username is not null) writer.WriteString("Username", stored.Username);
            writer.WriteStartArray("Resources");
            foreach (var resource in stored.Resources)
            {
                writer.WriteStartObject();
                if (resource.ResourceType is not null) writer.WriteString("ResourceType", resource.ResourceType);
                if (resource.ResourceName is not null) writer.WriteString("ResourceName", resource.ResourceName);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteString("CloudTrailEvent", stored.Raw);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        if (nextToken is not null) writer.WriteString("NextToken", nextToken);
        writer.WriteEndObject();
    }
}
