using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Runtime.Signing;
using BreakGlass.Aws;
using BreakGlass.Aws.Iam;
using Microsoft.Extensions.Logging.Abstractions;

namespace BreakGlass.Tests.Aws;

/// <summary>
/// Expected signatures are AWS's published values, never ones computed here. AWSSDK.Core's
/// <see cref="SigV4SigningHandler"/> always adds and signs <c>x-amz-content-sha256</c> (and <c>content-length</c>),
/// which the SigV4 test suite's requests lack: the suite checks the signer underneath it, and AWS's S3
/// example (which does carry that header) checks the handler end to end.
/// </summary>
public sealed class SigV4SigningTests
{
    private const string SuiteAccessKey = "AKIDEXAMPLE";
    private const string SuiteSecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTime SuiteDate = new(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc);
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    // aws-sig-v4-test-suite: <vector>.creq (canonical request) and the signature in <vector>.authz.
    [Theory]
    [InlineData(
        "get-vanilla",
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptySha256,
        "host;x-amz-date",
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData(
        "get-vanilla-query-order-key-case",
        "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + EmptySha256,
        "host;x-amz-date",
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData(
        "post-x-www-form-urlencoded",
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
        "content-type;host;x-amz-date",
        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")]
    public void TheSignerUnderTheHandlerReproducesTheSigV4TestSuite(string vector, string canonicalRequest, string signedHeaders, string signature)
    {
        var result = AWS4Signer.ComputeSignature(SuiteAccessKey, SuiteSecretKey, "us-east-1", SuiteDate, "service", signedHeaders, canonicalRequest);

        Assert.True(
            result.ForAuthorizationHeader == $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            $"{vector}: {result.ForAuthorizationHeader}");
    }

    [Fact]
    public void ThePostVectorsPayloadHashIsTheHashOfItsBody()
    {
        Assert.Equal(
            "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            Convert.ToHexStringLower(SHA256.HashData("Param1=value1"u8)));
    }

    [Fact]
    public async Task TheHandlerReproducesAwsDocumentedS3GetObjectSignature()
    {
        // "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk", GET Object.
        var parameters = new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            Region = RegionEndpoint.USEast1,
            Service = "s3",
            SignedAt = new DateTime(2013, 5, 24, 0, 0, 0, DateTimeKind.Utc),
        };
        var captured = new CapturingTransport();
        using var http = new HttpClient(new SigV4SigningHandler(parameters, captured));
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://examplebucket.s3.amazonaws.com/test.txt");
        request.Headers.Range = new RangeHeaderValue(0, 9);

        await http.SendAsync(request);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            captured.Single.Authorization);
    }

    [Fact]
    public async Task TheHandlerSignsQueryParametersInCanonicalOrder()
    {
        var parameters = new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials(SuiteAccessKey, SuiteSecretKey),
            Region = RegionEndpoint.USEast1,
            Service = "service",
            SignedAt = SuiteDate,
        };
        var captured = new CapturingTransport();
        using var http = new HttpClient(new SigV4SigningHandler(parameters, captured));

        await http.GetAsync("https://example.amazonaws.com/?Param2=value2&Param1=value1");
        await http.GetAsync("https://example.amazonaws.com/?Param1=value1&Param2=value2");
        await http.GetAsync("https://example.amazonaws.com/?Param1=value1&Param2=value3");

        Assert.Equal(captured.Requests[0].Authorization, captured.Requests[1].Authorization);
        Assert.NotEqual(captured.Requests[1].Authorization, captured.Requests[2].Authorization);
    }

    [Fact]
    public async Task IamCallsAreSignedForIamInUsEast1WhateverRegionBreakGlassRunsIn()
    {
        var aws = new AwsEnvironment(new BasicAWSCredentials(SuiteAccessKey, SuiteSecretKey), RegionEndpoint.EUWest1, null);
        var captured = new CapturingTransport();
        var iam = new IamClient(new HttpClient(IamClient.SigningHandler(aws, captured)), aws, TimeProvider.System, NullLogger<IamClient>.Instance);
        var before = DateTime.UtcNow.AddSeconds(-1);

        await iam.PutRolePolicyAsync("BreakGlassAdmin", "BreakGlassRevocations", """{"Version":"2012-10-17"}""");

        var request = captured.Single;
        Assert.Equal(new Uri("https://iam.amazonaws.com/"), request.Uri);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal(
            "Action=PutRolePolicy&Version=2010-05-08&RoleName=BreakGlassAdmin&PolicyName=BreakGlassRevocations&PolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D",
            request.Body);
        var signedAt = DateTime.ParseExact(request.Header("X-Amz-Date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        Assert.InRange(signedAt, before, DateTime.UtcNow.AddSeconds(1));
        Assert.Matches(
            $"^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{signedAt:yyyyMMdd}/us-east-1/iam/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{{64}}$",
            request.Authorization);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.Body))), request.Header("X-Amz-Content-SHA256"));
    }

    [Fact]
    public async Task SessionCredentialsSendAndSignTheirSessionToken()
    {
        var aws = new AwsEnvironment(new SessionAWSCredentials("ASIAEXAMPLE", SuiteSecretKey, "session-token-value"), RegionEndpoint.USEast1, null);
        var captured = new CapturingTransport();
        var iam = new IamClient(new HttpClient(IamClient.SigningHandler(aws, captured)), aws, TimeProvider.System, NullLogger<IamClient>.Instance);

        await iam.DeleteRolePolicyAsync("BreakGlassAdmin", "BreakGlassRevocations");

        var request = captured.Single;
        Assert.Equal("session-token-value", request.Header("X-Amz-Security-Token"));
        Assert.Contains(";x-amz-security-token", request.Authorization);
    }

    private sealed record CapturedRequest(HttpMethod Method, Uri Uri, string? ContentType, string Body, Dictionary<string, string> Headers)
    {
        public string Authorization => Header("Authorization");

        public string Header(string name) => Headers[name.ToLowerInvariant()];
    }

    /// <summary>Records what would go on the wire and answers as IAM does for a call without a result.</summary>
    private sealed class CapturingTransport : HttpMessageHandler
    {
        public List<CapturedRequest> Requests { get; } = [];

        public CapturedRequest Single => Assert.Single(Requests);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(',', h.Value));
            Requests.Add(new CapturedRequest(
                request.Method,
                request.RequestUri!,
                request.Content?.Headers.ContentType?.ToString(),
                request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken),
                headers));
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(
                    """<DeleteRolePolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></DeleteRolePolicyResponse>""",
                    Encoding.UTF8,
                    "text/xml"),
            };
        }
    }
}
