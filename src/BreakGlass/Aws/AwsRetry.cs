using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace BreakGlass.Aws;

/// <summary>How hard one AWS call is retried.</summary>
internal sealed record AwsRetryLimits(int MaxRetryAttempts, TimeSpan Delay, TimeSpan MaxDelay);

/// <summary>Jittered exponential retries around one AWS call, on throttling, transient service errors and network failures.</summary>
internal static class AwsRetry
{
    public const int MaxRetryAttempts = 3;

    /// <summary>
    /// Short on purpose: the job that called us owns the long retry (and the alert), so a stuck call must not
    /// hold a worker for minutes.
    /// </summary>
    public static readonly AwsRetryLimits Quick = new(MaxRetryAttempts, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));

    public static readonly ResiliencePropertyKey<string> Operation = new("breakglass.aws-operation");

    public static ResiliencePipeline Pipeline(
        Func<Exception, bool> isTransientServiceError, TimeProvider time, ILogger logger, AwsRetryLimits? limits = null, string operation = "AWS call")
    {
        limits ??= Quick;
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error
                    && (isTransientServiceError(error) || IsTransientNetworkFailure(error, args.Context.CancellationToken))),
                MaxRetryAttempts = limits.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = limits.Delay,
                MaxDelay = limits.MaxDelay,
                OnRetry = args =>
                {
                    AwsLog.Retrying(logger, args.Outcome.Exception, args.Context.Properties.GetValue(Operation, operation), args.AttemptNumber + 1, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>
    /// A connection that failed or timed out. A cancellation the caller asked for is not a failure
    /// (HttpClient reports its own timeout as a cancellation too, hence the token check).
    /// </summary>
    public static bool IsTransientNetworkFailure(Exception error, CancellationToken callerToken) =>
        error is HttpRequestException
        || (error is OperationCanceledException && !callerToken.IsCancellationRequested);
}
