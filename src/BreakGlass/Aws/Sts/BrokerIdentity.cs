using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace BreakGlass.Aws.Sts;

/// <summary>
/// Who BreakGlass is in AWS (<c>sts:GetCallerIdentity</c>). A broker that is itself a role session (EC2 instance
/// profile, ECS task role, IRSA) makes every AssumeRole a role chain, which AWS caps at one hour: a grant's window is
/// then served by fresh credentials, each at most an hour long. Until the identity is known the cap is assumed,
/// because an hour is always accepted.
/// </summary>
internal sealed class BrokerIdentity(IAmazonSecurityTokenService sts, ILogger<BrokerIdentity> logger) : IHostedService
{
    /// <summary>AWS refuses a longer <c>DurationSeconds</c> to a role session ("role chaining").</summary>
    public const int RoleChainingCapSeconds = 3600;

    private volatile string? _arn;

    /// <summary>The broker's ARN, once known.</summary>
    public string? Arn => _arn;

    /// <summary>The broker's ARN, asking STS again if the start-up lookup did not get an answer; null while STS is unreachable.</summary>
    public async Task<string?> ResolveArnAsync(CancellationToken cancellationToken) => _arn ?? await TryResolveAsync(cancellationToken);

    /// <summary>The longest session STS grants this broker whatever the role allows; null when unlimited by the broker.</summary>
    public async Task<int?> SessionCapSecondsAsync(CancellationToken cancellationToken)
    {
        var arn = await ResolveArnAsync(cancellationToken);
        return arn is null || IsRoleSession(arn) ? RoleChainingCapSeconds : null;
    }

    /// <summary><c>arn:aws:sts::123456789012:assumed-role/Name/Session</c>: a role session, in any partition.</summary>
    public static bool IsRoleSession(string arn) =>
        arn.Split(':', 6) is [_, _, "sts", _, _, var resource] && resource.StartsWith("assumed-role/", StringComparison.Ordinal);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(TimeSpan.FromSeconds(5));
        await TryResolveAsync(patience.Token);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<string?> TryResolveAsync(CancellationToken cancellationToken)
    {
        try
        {
            var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken);
            _arn = identity.Arn;
            BrokerIdentityLog.Resolved(logger, identity.Arn, IsRoleSession(identity.Arn));
            return identity.Arn;
        }
        catch (Exception failure) when (failure is AmazonSecurityTokenServiceException or Amazon.Runtime.AmazonClientException
                                            or HttpRequestException or IOException or OperationCanceledException)
        {
            BrokerIdentityLog.Unknown(logger, failure.Message, RoleChainingCapSeconds);
            return null;
        }
    }
}

internal static partial class BrokerIdentityLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "BreakGlass acts in AWS as {Arn} (role session: {IsRoleSession})")]
    public static partial void Resolved(ILogger logger, string arn, bool isRoleSession);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not find out who BreakGlass is in AWS ({Error}); sessions are capped at {CapSeconds} s until it is known")]
    public static partial void Unknown(ILogger logger, string error, int capSeconds);
}
