using Microsoft.Extensions.Primitives;

namespace BreakGlass.WrittenPolicy;

/// <summary>
/// Records the policy in force at start and after every configuration reload. Never blocks the service: an emergency
/// must not wait for the policy's bookkeeping, so a failure is logged and retried (grants still carry the version).
/// </summary>
internal sealed class PolicyRecorder(PolicyVersions versions, IConfiguration configuration, TimeProvider time, ILogger<PolicyRecorder> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    // Options monitors refresh on the same reload token as this callback: recording a moment later reads the new values.
    private static readonly TimeSpan SettleDelay = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _reloaded = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var reloads = ChangeToken.OnChange(configuration.GetReloadToken, () => _reloaded.Release());
        await RecordUntilDoneAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await _reloaded.WaitAsync(stoppingToken);
            await Task.Delay(SettleDelay, time, stoppingToken);
            while (_reloaded.CurrentCount > 0) await _reloaded.WaitAsync(stoppingToken);
            await RecordUntilDoneAsync(stoppingToken);
        }
    }

    private async Task RecordUntilDoneAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await versions.RecordCurrentAsync(stoppingToken);
                return;
            }
            catch (Exception failure) when (failure is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                WrittenPolicyLog.RecordingFailed(logger, failure);
            }
            await Task.Delay(RetryDelay, time, stoppingToken);
        }
    }

    public override void Dispose()
    {
        _reloaded.Dispose();
        base.Dispose();
    }
}
