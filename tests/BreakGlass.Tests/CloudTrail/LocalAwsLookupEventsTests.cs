using System.Text.Json.Nodes;
using BreakGlass.Tests.Infrastructure;
using static BreakGlass.Tests.CloudTrail.LocalAwsTestClient;

namespace BreakGlass.Tests.CloudTrail;

/// <summary>The LookupEvents double refuses what CloudTrail refuses, pages as it does, and throttles at 2 requests/s.</summary>
public sealed class LocalAwsLookupEventsTests(MotoServer moto) : LocalAwsTest(moto), IClassFixture<MotoServer>
{
    [Fact]
    public async Task ARequestWithoutAnOperationTargetIsAnUnknownOperation()
    {
        var (status, body) = await LocalAws.SendAsync("{}", target: null, authorization: Authorization());

        Assert.Equal(400, status);
        Assert.Equal("UnknownOperationException", ErrorType(body));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/x-amz-json-1.0")]
    [InlineData(null)]
    public async Task ARequestThatIsNotJson11IsRefused(string? contentType)
    {
        var (status, body) = await LocalAws.SendAsync("{}", contentType: contentType, authorization: Authorization());

        Assert.Equal(400, status);
        Assert.Equal("UnknownOperationException", ErrorType(body));
    }

    [Fact]
    public async Task AnUnsignedRequestIsRefused()
    {
        var (status, body) = await LocalAws.SendAsync("{}");

        Assert.Equal(403, status);
        Assert.Equal("MissingAuthenticationTokenException", ErrorType(body));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA1 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + Hex64)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + Hex64)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2025-03-14/us-east-1/cloudtrail/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + Hex64)]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250314/us-east-1/cloudtrail/aws4_request, SignedHeaders=x-amz-date, Signature=" + Hex64)]
    public async Task AMalformedAuthorizationIsAnIncompleteSignature(string authorization)
    {
        var (status, body) = await LocalAws.SendAsync("{}", authorization: authorization);

        Assert.Equal(400, status);
        Assert.Equal("IncompleteSignatureException", ErrorType(body));
    }

    [Fact]
    public async Task ASignedRequestWithoutADateIsAnIncompleteSignature()
    {
        var (status, body) = await LocalAws.SendAsync("{}", authorization: Authorization(), withDate: false);

        Assert.Equal(400, status);
        Assert.Equal("IncompleteSignatureException", ErrorType(body));
    }

    [Fact]
    public async Task ACredentialScopedToAnotherServiceIsRefused()
    {
        var (status, body) = await LocalAws.SendAsync("{}", authorization: Authorization(service: "iam"));

        Assert.Equal(403, status);
        Assert.Equal("InvalidSignatureException", ErrorType(body));
    }

    [Theory]
    [InlineData("""{"LookupAttribute":[{"AttributeKey":"AccessKeyId","AttributeValue":"AKIA1"}]}""", "ValidationException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"AccessKeyId","AttributeValue":"AKIA1","Operator":"Equals"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"AccessKeyId","AttributeValue":"AKIA1"},{"AttributeKey":"EventName","AttributeValue":"PutObject"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"SourceIPAddress","AttributeValue":"198.51.100.23"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"AccessKeyId","AttributeValue":""}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"AccessKeyId"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"ReadOnly","AttributeValue":"yes"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"MaxResults":51}""", "InvalidMaxResultsException")]
    [InlineData("""{"MaxResults":0}""", "InvalidMaxResultsException")]
    [InlineData("""{"MaxResults":"10"}""", "SerializationException")]
    [InlineData("""{"StartTime":1741944600,"EndTime":1741944000}""", "InvalidTimeRangeException")]
    [InlineData("""{"StartTime":"2025-03-14T09:00:00Z"}""", "SerializationException")]
    [InlineData("""{"EventCategory":"data"}""", "InvalidEventCategoryException")]
    [InlineData("""{"NextToken":"not-a-token"}""", "InvalidNextTokenException")]
    [InlineData("""{"LookupAttributes":""", "SerializationException")]
    [InlineData("""[]""", "SerializationException")]
    public async Task ABodyOutsideTheServiceModelIsRefusedWithItsModelledError(string body, string errorType)
    {
        var (status, response) = await LocalAws.LookupAsync(body);

        Assert.Equal(400, status);
        Assert.Equal(errorType, ErrorType(response));
    }

    [Fact]
    public async Task AnAttributeValueOverTheModelsLengthIsRefused()
    {
        // '_' counts twice towards the 2000 characters.
        var (status, response) = await LocalAws.LookupAsync(
            $$"""{"LookupAttributes":[{"AttributeKey":"Username","AttributeValue":"{{new string('_', 1001)}}"}]}""");

        Assert.Equal(400, status);
        Assert.Equal("InvalidLookupAttributesException", ErrorType(response));
    }

    [Fact]
    public async Task ThreeRequestsInOneSecondAreThrottledPerRegion()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => LocalAws.LookupAsync("{}")));
        var (otherRegionStatus, _) = await LocalAws.LookupAsync("{}", region: "eu-west-1");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var (afterAPause, _) = await LocalAws.LookupAsync("{}");

        Assert.Equal([200, 200, 400], answers.Select(answer => answer.Status).Order());
        Assert.Equal("ThrottlingException", ErrorType(answers.Single(answer => answer.Status == 400).Body));
        Assert.Equal(200, otherRegionStatus);
        Assert.Equal(200, afterAPause);
    }

    [Fact]
    public async Task EventsComePagedNewestFirstFiftyAtMost()
    {
        var key = NewAccessKeyId();
        var start = new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
        var mine = Enumerable.Range(0, 120).Select(i => Event(key, start.AddSeconds(i))).ToList();
        await LocalAws.SeedAsync([.. mine, .. Enumerable.Range(0, 30).Select(i => Event(NewAccessKeyId(), start.AddSeconds(i))),
            .. Enumerable.Range(0, 10).Select(i => Event(key, start.AddSeconds(i), region: "eu-west-1"))]);

        var pages = new List<JsonArray>();
        string? nextToken = null;
        do
        {
            if (pages.Count > 0) await Task.Delay(TimeSpan.FromSeconds(0.6));
            var (status, page) = await LocalAws.LookupAsync(LookupBody(key, nextToken: nextToken));
            Assert.Equal(200, status);
            pages.Add(page["Events"]!.AsArray());
            nextToken = page["NextToken"]?.GetValue<string>();
        }
        while (nextToken is not null);

        Assert.Equal([50, 50, 20], pages.Select(page => page.Count));
        var events = pages.SelectMany(page => page).Select(item => item!.AsObject()).ToList();
        Assert.Equal(
            mine.OrderByDescending(record => record["eventTime"]!.GetValue<string>(), StringComparer.Ordinal).Select(record => record["eventID"]!.GetValue<string>()),
            events.Select(item => item["EventId"]!.GetValue<string>()));
        var first = events[0];
        Assert.Equal(key, first["AccessKeyId"]!.GetValue<string>());
        Assert.Equal("DescribeInstances", first["EventName"]!.GetValue<string>());
        Assert.Equal("true", first["ReadOnly"]!.GetValue<string>());
        Assert.Equal("alice@example.com", first["Username"]!.GetValue<string>());
        Assert.Equal(start.AddSeconds(119).ToUnixTimeSeconds(), first["EventTime"]!.GetValue<decimal>());
        Assert.Equal(key, JsonNode.Parse(first["CloudTrailEvent"]!.GetValue<string>())!["userIdentity"]!["accessKeyId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ATokenIsRefusedForADifferentQuery()
    {
        var key = NewAccessKeyId();
        var start = new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
        await LocalAws.SeedAsync(Enumerable.Range(0, 3).Select(i => Event(key, start.AddSeconds(i))));
        var (_, first) = await LocalAws.LookupAsync(LookupBody(key, maxResults: 1));
        var token = first["NextToken"]!.GetValue<string>();

        var (status, response) = await LocalAws.LookupAsync(LookupBody(NewAccessKeyId(), nextToken: token));

        Assert.Equal(400, status);
        Assert.Equal("InvalidNextTokenException", ErrorType(response));
    }

    [Fact]
    public async Task TheTimeWindowIsInclusiveAndAttributesFilter()
    {
        var key = NewAccessKeyId();
        var start = new DateTimeOffset(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
        await LocalAws.SeedAsync([
            Event(key, start.AddSeconds(-1)), Event(key, start), Event(key, start.AddMinutes(5), "iam-create-access-key"),
            Event(key, start.AddMinutes(10)), Event(key, start.AddMinutes(10).AddSeconds(1)),
        ]);
        var window = $"\"StartTime\":{start.ToUnixTimeSeconds()},\"EndTime\":{start.AddMinutes(10).ToUnixTimeSeconds()}";

        var (_, byKey) = await LocalAws.LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"AccessKeyId","AttributeValue":"{{key}}"}],{{window}}}""");
        var (_, bySource) = await LocalAws.LookupAsync($$"""{"LookupAttributes":[{"AttributeKey":"EventSource","AttributeValue":"iam.amazonaws.com"}],{{window}}}""");

        Assert.Equal(3, byKey["Events"]!.AsArray().Count);
        var iam = Assert.Single(bySource["Events"]!.AsArray());
        Assert.Equal("CreateAccessKey", iam!["EventName"]!.GetValue<string>());
    }

    [Fact]
    public async Task DataEventsAreNotReturnedAsLookupEventsOnlyCoversManagementEvents()
    {
        var key = NewAccessKeyId();
        var dataEvent = Event(key, DateTimeOffset.UtcNow, "s3-list-buckets");
        dataEvent["eventName"] = "GetObject";
        dataEvent["managementEvent"] = false;
        dataEvent["eventCategory"] = "Data";
        await LocalAws.SeedAsync([dataEvent, Event(key, DateTimeOffset.UtcNow)]);

        var (_, response) = await LocalAws.LookupAsync(LookupBody(key));

        Assert.Equal("DescribeInstances", Assert.Single(response["Events"]!.AsArray())!["EventName"]!.GetValue<string>());
    }

    [Fact]
    public async Task SeedingARecordWithoutAnEventIdIsRefused()
    {
        var record = Event(NewAccessKeyId(), DateTimeOffset.UtcNow);
        record.Remove("eventID");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => LocalAws.SeedAsync([record]));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, error.StatusCode);
    }

    private const string Hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
}
