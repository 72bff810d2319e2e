using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace BreakGlass.Aws;

/// <summary>
/// A few quick, jittered retries around one AWS call. Short on purpose: the job that called us
/// owns the long retry (and the alert), so a stuck call must not hold a worker for minutes.
/// </summary>
internal static class AwsRetry
{
    public const int MaxRetryAttempts = 3;

    public static readonly ResiliencePropertyKey<string> Operation = new("breakglass.aws-operation");

    public static ResiliencePipeline Pipeline(Func<Exception, bool> isTransientServiceError, TimeProvider time, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } error
                    && (isTransientServiceError(error) || IsTransientNetworkFailure(error, args.Context.CancellationToken))),
                MaxRetryAttempts = MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                OnRetry = args =>
                {
                    logger.LogWarning(
                        args.Outcome.Exception,
                        "{Operation} failed on attempt {Attempt}; retrying in {Delay}",
                        args.Context.Properties.GetValue(Operation, "AWS call"),
                        args.AttemptNumber + 1,
                        args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

    /// <summary>
    /// A connection that failed or timed out. A cancellation the caller asked for is not a failure
    /// (HttpClient reports its own timeout as a cancellation too, hence the token check).
    /// </summary>
    public static bool IsTransientNetworkFailure(Exception error, CancellationToken callerToken) =>
        error is HttpRequestException
        || (error is OperationCanceledException && !callerToken.IsCancellationRequested);
}
