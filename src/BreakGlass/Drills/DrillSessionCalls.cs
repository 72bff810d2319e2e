using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Aws;
using BreakGlass.Aws.Sts;

namespace BreakGlass.Drills;

/// <summary>
/// What the drill does with its credentials, as an engineer's SDK would: ask STS who it is, and make one read
/// (<c>s3:ListBuckets</c>, harmless and recorded by CloudTrail as a management event). Only the read can prove a
/// cut-off: AWS answers <c>sts:GetCallerIdentity</c> even under an explicit deny.
/// </summary>
internal sealed class DrillSessionCalls(AwsEnvironment aws)
{
    /// <summary>The read's CloudTrail event name, which the evidence stage looks for.</summary>
    public const string ReadEventName = "ListBuckets";

    public async Task<string> CallerArnAsync(IssuedCredentials credentials, CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = aws.Region, MaxErrorRetry = 1, Timeout = TimeSpan.FromSeconds(10) };
        if (aws.EndpointOverride is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = aws.Region.SystemName;
        }
        using var sts = new AmazonSecurityTokenServiceClient(Session(credentials), config);
        return (await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken)).Arn;
    }

    /// <returns>How many buckets the session sees; throws what AWS answered otherwise.</returns>
    public async Task<int> ReadAsync(IssuedCredentials credentials, CancellationToken cancellationToken)
    {
        var config = new AmazonS3Config { MaxErrorRetry = 1, Timeout = TimeSpan.FromSeconds(10) };
        if (aws.EndpointOverride is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = aws.Region.SystemName;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = aws.Region;
        }
        using var s3 = new AmazonS3Client(Session(credentials), config);
        return (await s3.ListBucketsAsync(cancellationToken)).Buckets?.Count ?? 0;
    }

    /// <summary>
    /// Whether AWS refused the call for want of permission, as it does once the deny applies. An expired or unknown key
    /// is refused too, but proves nothing about the cut-off.
    /// </summary>
    public static bool IsRefusal(Exception failure) =>
        failure is AmazonServiceException { StatusCode: HttpStatusCode.Forbidden, ErrorCode: "AccessDenied" };

    private static SessionAWSCredentials Session(IssuedCredentials credentials) =>
        new(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
}
