using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Tests.Evidence;
using Microsoft.Extensions.Logging.Abstractions;

namespace BreakGlass.Tests.CloudTrail;

/// <summary>Talks to a running LocalAws front: seeds events, sends hand-made LookupEvents requests, or uses the real client.</summary>
internal sealed class LocalAwsTestClient(Uri frontUrl)
{
    public const string LookupEventsTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

    private readonly HttpClient _http = new() { BaseAddress = frontUrl };

    public static string NewAccessKeyId(string prefix = "ASIA") =>
        prefix + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];

    public static string Authorization(string service = "cloudtrail", string region = "us-east-1", string accessKeyId = "AKIAIOSFODNN7EXAMPLE") =>
        $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20250314/{region}/{service}/aws4_request, " +
        $"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={new string('a', 64)}";

    /// <summary>A real <see cref="CloudTrailClient"/> signing with SigV4 for <paramref name="region"/>, pointed at the front.</summary>
    public CloudTrailClient CloudTrail(string region = "us-east-1") =>
        CloudTrailClient.Create(
            new AwsEnvironment(new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), RegionEndpoint.GetBySystemName(region), frontUrl),
            TimeProvider.System,
            NullLogger.Instance);

    /// <summary>What LookupEvents returns for calls signed with <paramref name="accessKeyId"/> in the last few minutes.</summary>
    public async Task<List<TrailEvent>> RecordedAsync(string accessKeyId)
    {
        var now = DateTimeOffset.UtcNow;
        return await CloudTrail()
            .LookupAllAsync(LookupAttribute.AccessKeyId(accessKeyId), now.AddMinutes(-5), now.AddMinutes(1), new TokenBucketRequestRateGate(2, TimeProvider.System), CancellationToken.None)
            .ToListAsync();
    }

    public async Task SeedAsync(IEnumerable<JsonObject> records)
    {
        var body = new JsonObject { ["Records"] = new JsonArray(records.Select(JsonNode (record) => record).ToArray()) };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        var response = await _http.PostAsync("/_localaws/events", content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A LookupEvents POST with every part under the test's control.</summary>
    public async Task<(int Status, JsonObject Body)> SendAsync(
        string body,
        string? target = LookupEventsTarget,
        string? contentType = "application/x-amz-json-1.1",
        string? authorization = null,
        bool withDate = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        if (target is not null) request.Headers.Add("X-Amz-Target", target);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (withDate) request.Headers.Add("X-Amz-Date", "20250314T091500Z");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public Task<(int Status, JsonObject Body)> LookupAsync(string body, string region = "us-east-1") =>
        SendAsync(body, authorization: Authorization(region: region));

    /// <summary>A management event by <paramref name="accessKeyId"/>, built from a realistic fixture.</summary>
    public static JsonObject Event(string accessKeyId, DateTimeOffset time, string fixture = "ec2-describe-instances", string region = "us-east-1")
    {
        var record = CloudTrailFixtures.Node(fixture);
        record["userIdentity"]!["accessKeyId"] = accessKeyId;
        record["eventTime"] = time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        record["eventID"] = Guid.NewGuid().ToString();
        record["awsRegion"] = region;
        return record;
    }

    public static string ErrorType(JsonObject body) => body["__type"]!.GetValue<string>();

    public static string LookupBody(string accessKeyId, int? maxResults = null, string? nextToken = null)
    {
        var body = new JsonObject
        {
            ["LookupAttributes"] = new JsonArray(new JsonObject { ["AttributeKey"] = "AccessKeyId", ["AttributeValue"] = accessKeyId }),
        };
        if (maxResults is not null) body["MaxResults"] = maxResults;
        if (nextToken is not null) body["NextToken"] = nextToken;
        return body.ToJsonString(new JsonSerializerOptions());
    }
}
