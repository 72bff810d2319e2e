using Hangfire;

namespace BreakGlass.Tickets;

/// <summary>The fast path after a grant request: carries out that grant's due ticket actions.</summary>
internal sealed class ProcessTicketActionsJob(TicketActionProcessor processor)
{
    // The outbox keeps its own retry schedule (and the sweeper follows it): Hangfire's retries would only add calls.
    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(Guid grantId) => processor.ProcessGrantAsync(grantId, null, CancellationToken.None);
}
