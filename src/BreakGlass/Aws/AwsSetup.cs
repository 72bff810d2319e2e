using Amazon.Runtime;
using Amazon.SecurityToken;
using BreakGlass.Aws.Iam;
using BreakGlass.Aws.Sts;

namespace BreakGlass.Aws;

internal static class AwsSetup
{
    /// <summary>The AWS clients BreakGlass calls: STS to mint credentials, IAM to deny them. CloudTrail clients are per region, made by evidence collection.</summary>
    public static IServiceCollection AddAws(this IServiceCollection services)
    {
        services.AddSingleton(_ => AwsEnvironment.FromStandardVariables());
        services.AddSingleton<IAmazonSecurityTokenService>(provider =>
        {
            var aws = provider.GetRequiredService<AwsEnvironment>();
            var config = new AmazonSecurityTokenServiceConfig
            {
                RegionEndpoint = aws.Region,
                // Standard mode retries throttling and transient errors with jittered exponential backoff.
                RetryMode = RequestRetryMode.Standard,
                MaxErrorRetry = 4,
                Timeout = TimeSpan.FromSeconds(10),
            };
            if (aws.EndpointOverride is { } endpoint)
            {
                config.ServiceURL = endpoint.ToString();
                config.AuthenticationRegion = aws.Region.SystemName;
            }
            return new AmazonSecurityTokenServiceClient(aws.Credentials, config);
        });
        services.AddSingleton<StsCredentialIssuer>();
        services.AddSingleton<BrokerIdentity>();
        services.AddHostedService(provider => provider.GetRequiredService<BrokerIdentity>());
        services.AddIamClients();
        return services;
    }
}
