using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence.Rules;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.CloudTrail;

/// <summary>
/// With moto checking signatures and IAM policies, a break-glass session made through the front is recorded
/// under its own identity, denials included, and the credentials that passed through are never stored.
/// </summary>
public sealed class LocalAwsIdentityTests(MotoServer moto) : LocalAwsTest(moto), IClassFixture<MotoServer>
{
    private const string Account = "123456789012";
    private const string SessionName = "alice@example.com";

    [Fact]
    public async Task AnAssumedRoleSessionIsRecordedUnderItsIdentityWithItsDenials()
    {
        var setup = new BasicAWSCredentials("AKIASETUPSETUPSETUP1", "setup");
        await Iam(setup, "CreateUser", ("UserName", "broker"));
        var (_, createdKey) = await Iam(setup, "CreateAccessKey", ("UserName", "broker"));
        await Iam(setup, "PutUserPolicy", ("UserName", "broker"), ("PolicyName", "assume"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"""));
        await Iam(setup, "CreateRole", ("RoleName", "BreakGlassAdmin"),
            ("AssumeRolePolicyDocument", $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{Account}}:user/broker"},"Action":"sts:AssumeRole"}]}"""));
        await Iam(setup, "PutRolePolicy", ("RoleName", "BreakGlassAdmin"), ("PolicyName", "read-buckets"),
            ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"""));
        var broker = new BasicAWSCredentials(createdKey.ValueOf("AccessKeyId"), createdKey.ValueOf("SecretAccessKey"));
        await Moto.EnforceAuthenticationAsync();

        using var sts = new AmazonSecurityTokenServiceClient(broker,
            new AmazonSecurityTokenServiceConfig { ServiceURL = Front.BaseUrl.ToString(), AuthenticationRegion = "us-east-1" });
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = $"arn:aws:iam::{Account}:role/BreakGlassAdmin",
            RoleSessionName = SessionName,
            DurationSeconds = 900,
        });
        var session = new SessionAWSCredentials(assumed.Credentials.AccessKeyId, assumed.Credentials.SecretAccessKey, assumed.Credentials.SessionToken);
        using var s3 = new AmazonS3Client(session,
            new AmazonS3Config { ServiceURL = Front.BaseUrl.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.ListBucketsAsync();
        var (deniedStatus, _) = await Iam(session, "CreateUser", ("UserName", "backdoor"));

        Assert.Equal(403, deniedStatus);
        var sessionEvents = await LocalAws.RecordedAsync(assumed.Credentials.AccessKeyId);
        Assert.Equal(["CreateUser", "ListBuckets"], sessionEvents.Select(recorded => recorded.EventName).Order(StringComparer.Ordinal));
        Assert.All(sessionEvents, recorded => Assert.Equal(SessionName, recorded.Username));
        var listBuckets = JsonNode.Parse(sessionEvents.Single(recorded => recorded.EventName == "ListBuckets").CloudTrailEvent!)!["userIdentity"]!;
        Assert.Equal("AssumedRole", listBuckets["type"]!.GetValue<string>());
        Assert.Equal($"arn:aws:sts::{Account}:assumed-role/BreakGlassAdmin/{SessionName}", listBuckets["arn"]!.GetValue<string>());
        Assert.Equal("BreakGlassAdmin", listBuckets["sessionContext"]!["sessionIssuer"]!["userName"]!.GetValue<string>());

        var denied = CloudTrailRecord.Parse(sessionEvents.Single(recorded => recorded.EventName == "CreateUser").CloudTrailEvent!);
        Assert.Equal("AccessDenied", denied.ErrorCode);
        var classification = SeverityRules.Default.Classify(denied, breakGlassRoleName: "BreakGlassAdmin");
        Assert.Equal(Severity.Critical, classification.Severity);
        Assert.Equal(EventFlags.Error | EventFlags.AccessDenied, classification.Flags);

        var assumeRole = Assert.Single(await LocalAws.RecordedAsync(broker.GetCredentials().AccessKey));
        Assert.Equal("AssumeRole", assumeRole.EventName);
        Assert.Equal("broker", assumeRole.Username);
        var everything = string.Concat(sessionEvents.Append(assumeRole).Select(recorded => recorded.CloudTrailEvent));
        Assert.DoesNotContain(assumed.Credentials.SecretAccessKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(assumed.Credentials.SessionToken, everything, StringComparison.Ordinal);
    }

    private Task<(int Status, System.Xml.Linq.XDocument Body)> Iam(AWSCredentials credentials, string action, params (string, string)[] parameters) =>
        AwsQueryCall.SendAsync(Front.BaseUrl, credentials, "iam", action, "2010-05-08", parameters);
}
