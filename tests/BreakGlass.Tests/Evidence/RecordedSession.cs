using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Tests.CloudTrail;

namespace BreakGlass.Tests.Evidence;

/// <summary>An engineer's break-glass session making real signed calls through the LocalAws front, which records each one.</summary>
internal sealed class RecordedSession : IDisposable
{
    public const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private readonly Uri _front;
    private readonly SessionAWSCredentials _credentials;

    public RecordedSession(Uri front, JsonNode credentials)
    {
        _front = front;
        AccessKeyId = (string)credentials["accessKeyId"]!;
        SecretAccessKey = (string)credentials["secretAccessKey"]!;
        _credentials = new SessionAWSCredentials(AccessKeyId, SecretAccessKey, (string)credentials["sessionToken"]!);
        S3 = new AmazonS3Client(_credentials,
            new AmazonS3Config { ServiceURL = front.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
    }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public AmazonS3Client S3 { get; }

    /// <summary>The session's assumed-role ARN, as <c>sts:GetCallerIdentity</c> through the front answers it.</summary>
    public async Task<string> CallerArnAsync()
    {
        using var sts = new AmazonSecurityTokenServiceClient(_credentials,
            new AmazonSecurityTokenServiceConfig { ServiceURL = _front.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        return (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest())).Arn;
    }

    /// <returns>The HTTP status IAM answered with.</returns>
    public async Task<int> IamAsync(string action, params (string Name, string Value)[] parameters) =>
        (await AwsQueryCall.SendAsync(_front, _credentials, "iam", action, "2010-05-08", parameters)).Status;

    public void Dispose() => S3.Dispose();
}
