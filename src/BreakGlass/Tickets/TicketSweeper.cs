using BreakGlass.Jobs;
using BreakGlass.Tickets.Linear;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Tickets;

/// <summary>
/// The source of truth for tickets: every pass carries out the ticket actions that are due, in every
/// instance, so an outage, a lost job or a crash costs at most one interval after Linear answers again.
/// </summary>
internal sealed class TicketSweeper(
    NpgsqlDataSource database,
    IServiceScopeFactory scopes,
    LinearGate gate,
    IOptions<LinearOptions> linear,
    IOptionsMonitor<TicketsOptions> options,
    TimeProvider time,
    ILogger<TicketSweeper> logger) : Sweeper(time, logger)
{
    private const int GrantsPerPass = 200;
    private bool _retriedConfigurationProblems;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds);

    protected override bool IsEnabled => linear.Value.IsConfigured;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        if (!_retriedConfigurationProblems)
        {
            await RetryConfigurationProblemsAsync(cancellationToken);
            _retriedConfigurationProblems = true;
        }
        await SweepAsync(cancellationToken);
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (!gate.IsOpen(out _)) return 0;
        IReadOnlyList<Guid> due;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<Guid>(
                """
                SELECT grant_id FROM ticket_actions
                WHERE status <> 'done' AND next_attempt_at <= @now
                GROUP BY grant_id ORDER BY min(next_attempt_at) LIMIT @GrantsPerPass
                """,
                new { now = Time.GetUtcNow(), GrantsPerPass })).AsList();
        }
        if (due.Count == 0) return 0;
        using var scope = scopes.CreateScope();
        var processor = scope.ServiceProvider.GetRequiredService<TicketActionProcessor>();
        foreach (var grantId in due)
        {
            if (!gate.IsOpen(out _)) break;
            await processor.ProcessGrantAsync(grantId, null, cancellationToken);
        }
        return due.Count;
    }

    /// <summary>A restart usually follows a configuration fix: try what waited for one at once, not 15 minutes later.</summary>
    private async Task RetryConfigurationProblemsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            "UPDATE ticket_actions SET next_attempt_at = @now WHERE status = 'failed_config' AND next_attempt_at > @now",
            new { now = Time.GetUtcNow() });
    }
}
