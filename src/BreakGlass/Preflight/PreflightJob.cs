using BreakGlass.Audit;
using Hangfire;

namespace BreakGlass.Preflight;

/// <summary>The scheduled preflight (<c>Preflight:Schedule</c>, daily): its result is an audit event, <c>/readyz</c> detail, and an ALERT on failure.</summary>
internal sealed class PreflightJob(PreflightRunner runner)
{
    public const string RecurringJobId = "preflight";

    // A failed check is a result, not a job failure: only the database being away makes the run throw.
    [AutomaticRetry(Attempts = 3, DelaysInSeconds = [60, 300, 900])]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public Task RunAsync() => runner.RunAsync(SystemActor.Name, CancellationToken.None);
}
