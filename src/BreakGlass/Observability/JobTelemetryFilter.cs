using System.Diagnostics;
using Hangfire.Server;

namespace BreakGlass.Observability;

/// <summary>
/// Every Hangfire job runs in a span of its own, named after the job class; a job whose argument is a grant id
/// (jobs take ids only) names the grant on the span and in the log scope.
/// </summary>
/// <remarks>
/// Hangfire calls both filter methods and the job on one worker thread, waiting synchronously for an async job, so the
/// span and scope begun here are current throughout the job and end where they began.
/// </remarks>
internal sealed class JobTelemetryFilter(ILoggerFactory loggers) : IServerFilter
{
    private const string Item = "breakglass.telemetry";
    private readonly ILogger _logger = loggers.CreateLogger<JobTelemetryFilter>();

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var activity = Telemetry.Source.StartActivity(job.Type.Name);
        activity?.SetTag("hangfire.job_id", context.BackgroundJob.Id);
        var grant = job.Args.OfType<Guid>().Select(id => Telemetry.ForGrant(_logger, id)).FirstOrDefault();
        context.Items[Item] = new JobTelemetry(activity, grant);
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.TryGetValue(Item, out var item) && item is JobTelemetry telemetry)
        {
            if (context.Exception is { } failure) telemetry.Activity?.SetStatus(ActivityStatusCode.Error, failure.GetType().Name);
            telemetry.Grant?.Dispose();
            telemetry.Activity?.Dispose();
        }
    }

    private sealed record JobTelemetry(Activity? Activity, IDisposable? Grant);
}
