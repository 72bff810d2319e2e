using Polly;
using Polly.Retry;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>Retries throttling and transient failures with jittered exponential backoff.</summary>
internal static class CloudTrailRetry
{
    public static ResiliencePipeline Create(TimeProvider timeProvider, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<CloudTrailException>(exception => exception.IsTransient)
                    .Handle<HttpRequestException>()
                    .Handle<TaskCanceledException>(exception => exception.InnerException is TimeoutException),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(30),
                MaxRetryAttempts = 8,
                OnRetry = arguments =>
                {
                    logger.LogWarning(
                        "CloudTrail LookupEvents attempt {Attempt} failed ({Error}); retrying in {Delay}",
                        arguments.AttemptNumber + 1,
                        arguments.Outcome.Exception is CloudTrailException cloudTrail ? cloudTrail.ErrorCode : arguments.Outcome.Exception?.GetType().Name,
                        arguments.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
