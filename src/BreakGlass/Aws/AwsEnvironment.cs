using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace BreakGlass.Aws;

/// <summary>
/// The AWS account BreakGlass talks to: the standard credential chain, AWS_REGION and the
/// AWS_ENDPOINT_URL override (how tests and the quick start reach the local emulator).
/// </summary>
internal sealed class AwsEnvironment(AWSCredentials credentials, RegionEndpoint region, Uri? endpointOverride)
{
    public AWSCredentials Credentials { get; } = credentials;
    public RegionEndpoint Region { get; } = region;
    public Uri? EndpointOverride { get; } = endpointOverride;

    public static AwsEnvironment FromStandardVariables()
    {
        var region = RegionEndpoint.GetBySystemName(
            Environment.GetEnvironmentVariable("AWS_REGION")
            ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")
            ?? "us-east-1");
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        return new AwsEnvironment(
            DefaultAWSCredentialsIdentityResolver.GetCredentials(),
            region,
            string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint));
    }

    /// <summary>The endpoint of a regional service (or the global one when <paramref name="globalHost"/> is given).</summary>
    public Uri EndpointFor(string service, string? globalHost = null) =>
        EndpointOverride ?? new Uri(globalHost is null
            ? $"https://{service}.{Region.SystemName}.amazonaws.com/"
            : $"https://{globalHost}/");

    /// <summary>An HTTP handler chain that SigV4-signs every request for <paramref name="service"/>.</summary>
    public HttpMessageHandler SigningHandler(string service, HttpMessageHandler inner, RegionEndpoint? signingRegion = null) =>
        new SigV4SigningHandler(Credentials, signingRegion ?? Region, service, inner);
}
