using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>What an engineer does with issued credentials: real signed calls to moto.</summary>
internal sealed class EngineerSession(Uri endpoint, JsonNode credentials) : IDisposable
{
    public EngineerSession(MotoServer moto, JsonNode credentials) : this(moto.Endpoint, credentials)
    {
    }

    private readonly AmazonS3Client _s3 = new(
        new SessionAWSCredentials((string)credentials["accessKeyId"]!, (string)credentials["secretAccessKey"]!, (string)credentials["sessionToken"]!),
        new AmazonS3Config { ServiceURL = endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    public string AccessKeyId { get; } = (string)credentials["accessKeyId"]!;

    /// <summary>True when AWS honours the session. moto, like AWS, never denies sts:GetCallerIdentity, so S3 is the probe.</summary>
    public async Task<bool> IsHonouredAsync()
    {
        try
        {
            await _s3.ListBucketsAsync();
            return true;
        }
        catch (AmazonS3Exception denied) when (denied.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            return false;
        }
    }

    /// <summary>Polls until AWS refuses the session; returns when it was first refused.</summary>
    public async Task<DateTimeOffset?> WaitUntilRefusedAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (!await IsHonouredAsync()) return DateTimeOffset.UtcNow;
            await Task.Delay(100);
        }
        return null;
    }

    public void Dispose() => _s3.Dispose();
}
