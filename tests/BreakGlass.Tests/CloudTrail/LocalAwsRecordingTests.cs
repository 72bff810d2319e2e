using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Tests.Infrastructure;
using static BreakGlass.Tests.CloudTrail.LocalAwsTestClient;

namespace BreakGlass.Tests.CloudTrail;

/// <summary>Calls made through the front reach moto and come back out of LookupEvents as CloudTrail events.</summary>
public sealed class LocalAwsRecordingTests(MotoServer moto) : LocalAwsTest(moto), IClassFixture<MotoServer>
{
    [Fact]
    public async Task AnStsCallThroughTheFrontIsAnsweredByMotoAndRecorded()
    {
        var key = NewAccessKeyId("AKIA");
        using var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(key, "secret"),
            new AmazonSecurityTokenServiceConfig { ServiceURL = Front.BaseUrl.ToString(), AuthenticationRegion = "us-east-1" });

        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("123456789012", identity.Account);
        var recorded = Assert.Single(await LocalAws.RecordedAsync(key));
        Assert.Equal("sts.amazonaws.com", recorded.EventSource);
        Assert.Equal("GetCallerIdentity", recorded.EventName);
        Assert.Equal("true", recorded.ReadOnly);
        var record = CloudTrailRecord.Parse(recorded.CloudTrailEvent!);
        Assert.Equal("127.0.0.1", record.SourceIpAddress);
        Assert.Contains("aws-sdk-dotnet", record.UserAgent, StringComparison.Ordinal);
        Assert.Equal("us-east-1", record.AwsRegion);
        Assert.Null(record.ErrorCode);
    }

    [Fact]
    public async Task S3BucketCallsAreManagementEventsAndObjectCallsAreDataEvents()
    {
        var key = NewAccessKeyId("AKIA");
        var bucket = $"weights-{Guid.NewGuid():N}";
        using var s3 = new AmazonS3Client(new BasicAWSCredentials(key, "secret"),
            new AmazonS3Config { ServiceURL = Front.BaseUrl.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "models/v1/weights.bin", ContentBody = "0123456789" });
        var stored = await s3.GetObjectAsync(bucket, "models/v1/weights.bin");

        Assert.Equal(10, stored.ContentLength);
        var recorded = Assert.Single(await LocalAws.RecordedAsync(key));
        Assert.Equal("CreateBucket", recorded.EventName);
        var record = CloudTrailRecord.Parse(recorded.CloudTrailEvent!);
        Assert.Equal(bucket, record.RequestParameters!.Value.GetProperty("bucketName").GetString());
        Assert.False(record.ReadOnly);
    }

    [Fact]
    public async Task AFailedQueryCallIsRecordedWithMotosErrorCodeAndItsParameters()
    {
        var key = NewAccessKeyId("AKIA");

        var (status, _) = await AwsQueryCall.SendAsync(Front.BaseUrl, new BasicAWSCredentials(key, "secret"), "iam", "GetRole", "2010-05-08",
            ("RoleName", "does-not-exist"));

        Assert.Equal(404, status);
        var record = CloudTrailRecord.Parse(Assert.Single(await LocalAws.RecordedAsync(key)).CloudTrailEvent!);
        Assert.Equal("iam.amazonaws.com", record.EventSource);
        Assert.Equal("GetRole", record.EventName);
        Assert.Equal("NoSuchEntity", record.ErrorCode);
        Assert.Contains("does-not-exist", record.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("does-not-exist", record.RequestParameters!.Value.GetProperty("roleName").GetString());
    }

    [Fact]
    public async Task PasswordsInRequestParametersAreHiddenAsCloudTrailHidesThem()
    {
        var key = NewAccessKeyId("AKIA");
        var user = $"user-{Guid.NewGuid():N}";
        await AwsQueryCall.SendAsync(Front.BaseUrl, new BasicAWSCredentials(key, "secret"), "iam", "CreateUser", "2010-05-08", ("UserName", user));

        await AwsQueryCall.SendAsync(Front.BaseUrl, new BasicAWSCredentials(key, "secret"), "iam", "CreateLoginProfile", "2010-05-08",
            ("UserName", user), ("Password", "Corr3ct-Horse-Battery"));

        var events = await LocalAws.RecordedAsync(key);
        var loginProfile = events.Single(recorded => recorded.EventName == "CreateLoginProfile");
        Assert.DoesNotContain("Corr3ct-Horse-Battery", loginProfile.CloudTrailEvent, StringComparison.Ordinal);
        var parameters = JsonNode.Parse(loginProfile.CloudTrailEvent!)!["requestParameters"]!;
        Assert.Equal("HIDDEN_DUE_TO_SECURITY_REASONS", parameters["password"]!.GetValue<string>());
        Assert.Equal(user, parameters["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task WhenMotoIsNotRunningTheFrontAnswersBadGatewayAndRecordsNothing()
    {
        await using var orphan = await BreakGlass.LocalAws.LocalAwsApp.StartAsync(0, new Uri($"http://127.0.0.1:{FreePort.Next()}"));
        var key = NewAccessKeyId("AKIA");
        using var request = new HttpRequestMessage(HttpMethod.Post, orphan.BaseUrl)
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("Action", "ListRoles"), KeyValuePair.Create("Version", "2010-05-08")]),
        };
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(service: "iam", accessKeyId: key));
        request.Headers.Add("X-Amz-Date", "20250314T091500Z");
        using var http = new HttpClient();

        using var response = await http.SendAsync(request);

        Assert.Equal(502, (int)response.StatusCode);
        Assert.Contains("moto is not answering", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await new LocalAwsTestClient(orphan.BaseUrl).RecordedAsync(key));
    }

}
