using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.LocalAws;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Enforcement;

/// <summary>
/// BreakGlass as AWS recommends deploying it: running as a role session (EC2, ECS, IRSA), so every AssumeRole it makes
/// is role chaining. All AWS traffic, the engineers' included, goes through the LocalAws front with IAM enforcement on:
/// the chaining cap, the roles' MaxSessionDuration (4 hours here) and the conditions of BreakGlass's deny.
/// </summary>
public sealed class RoleSessionBrokerFixture : BreakGlassFixture
{
    public const int RoleMaxSessionSeconds = 14400;

    /// <summary>The broker's own role session, as the service runs with it.</summary>
    internal SessionAWSCredentials BrokerSession { get; private set; } = null!;

    private protected override LocalAwsOptions? LocalAwsFront =>
        new() { MotoAdmin = new MotoAdminCredentials(Aws.FrontAdmin.GetCredentials().AccessKey, Aws.FrontAdmin.GetCredentials().SecretKey) };

    private protected override Task<AwsSandbox> CreateSandboxAsync(IReadOnlyList<string> roleNames) =>
        AwsSandbox.CreateAsync(Moto, roleNames, brokerRoleSession: true, roleMaxSessionSeconds: RoleMaxSessionSeconds);

    private protected override async Task BeforeServiceStartsAsync()
    {
        using var sts = StsThroughFront(new BasicAWSCredentials(Aws.BrokerAccessKeyId, Aws.BrokerSecretAccessKey));
        var session = (await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = Aws.BrokerRoleArn,
            RoleSessionName = AwsSandbox.BrokerSessionName,
            DurationSeconds = 3600,
        })).Credentials;
        BrokerSession = new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken);
        Overrides["AWS_ACCESS_KEY_ID"] = session.AccessKeyId;
        Overrides["AWS_SECRET_ACCESS_KEY"] = session.SecretAccessKey;
        Overrides["AWS_SESSION_TOKEN"] = session.SessionToken;
        // The policy allows what the roles allow: the one-hour limit comes from the broker being a role session.
        Overrides["Roles__0__MaxSessionSeconds"] = RoleMaxSessionSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var index = 2; index < 14; index++)
        {
            Overrides[$"Roles__{index}__MaxSessionSeconds"] = RoleMaxSessionSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Overrides[$"Roles__{index}__MaxDurationMinutes"] = "240";
        }
    }

    /// <summary>An STS client through the front, as any AWS SDK pointed at it.</summary>
    internal AmazonSecurityTokenServiceClient StsThroughFront(AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig { ServiceURL = AwsEndpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
}
