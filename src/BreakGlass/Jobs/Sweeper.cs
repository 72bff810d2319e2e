using System.Diagnostics;
using BreakGlass.Observability;

namespace BreakGlass.Jobs;

/// <summary>
/// A feature's source of truth: a pass the host runs every <see cref="Interval"/> in every instance, so a lost,
/// delayed or crashed job costs at most one interval. Like Hangfire's <c>DelayedJobScheduler</c>, the loop belongs
/// to the host and a feature only writes the pass.
/// </summary>
/// <remarks>
/// No pass can stop the host (.NET stops it when a background service throws): whatever a pass throws — a storage or
/// AWS error, an <see cref="HttpClient"/> timeout surfacing as <see cref="TaskCanceledException"/>, a cancellation
/// that is not the host's shutdown — is logged and the next pass runs. A pass that outlives <see cref="PassTimeout"/>
/// is cancelled; one that ignores the cancellation is abandoned, so a hang can never stop the sweeping either
/// (passes are idempotent and take their own locks, so an abandoned pass finishing late does no harm).
/// </remarks>
internal abstract partial class Sweeper(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Far above any healthy pass (a batch of grants, each with its own short AWS or Linear timeouts).</summary>
    public static readonly TimeSpan DefaultPassTimeout = TimeSpan.FromMinutes(10);

    protected ILogger Logger { get; } = logger;

    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Interval { get; }

    protected virtual TimeSpan PassTimeout => DefaultPassTimeout;

    /// <summary>Whether each pass gets a span of its own (a pass that only reads metrics would drown the traces).</summary>
    protected virtual bool Traced => true;

    /// <summary>A sweeper with nothing to do in this configuration never starts its loop.</summary>
    protected virtual bool IsEnabled => true;

    /// <summary>One pass; <paramref name="cancellationToken"/> ends at shutdown or after <see cref="PassTimeout"/>.</summary>
    protected abstract Task RunPassAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!IsEnabled) return;
        using var timer = new PeriodicTimer(Interval, Time);
        try
        {
            do
            {
                await RunOnePassAsync(stoppingToken);
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: the only way the loop ends.
        }
    }

    private async Task RunOnePassAsync(CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(PassTimeout, Time);
        using var pass = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        using var span = Traced ? Telemetry.Source.StartActivity($"{GetType().Name} pass") : null;
        try
        {
            await RunPassAsync(pass.Token).WaitAsync(pass.Token);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown cancelled the pass; the loop ends at its next wait.
        }
        catch (Exception) when (timeout.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error, "timed out");
            LogPassTimedOut(Logger, GetType().Name, PassTimeout);
        }
        catch (Exception failure)
        {
            span?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
            LogPassFailed(Logger, GetType().Name, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Sweeper} pass failed; retrying at the next pass")]
    private static partial void LogPassFailed(ILogger logger, string sweeper, Exception failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Sweeper} pass did not finish within {Timeout}; it was cancelled and the next pass runs as usual")]
    private static partial void LogPassTimedOut(ILogger logger, string sweeper, TimeSpan timeout);
}
