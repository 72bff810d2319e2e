using BreakGlass.Audit;
using Hangfire;

namespace BreakGlass.Drills;

/// <summary>A drill's run (queued by <c>POST /api/drills</c> or the schedule), and the scheduled start (<c>Drills:Schedule</c>).</summary>
internal sealed class DrillJob(DrillRunner runner)
{
    public const string RecurringJobId = "drill";

    // A failed stage is a result, not a job failure. A retry after a crash finds the drill unfinished and fails it as
    // interrupted (ending its grant) instead of breaking glass a second time.
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [30, 120, 600])]
    public Task RunAsync(Guid drillId) => runner.RunAsync(drillId, CancellationToken.None);

    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task StartScheduledAsync() => runner.StartAsync(SystemActor.Name, CancellationToken.None);
}
