using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>
/// The source of truth for evidence collection: every pass runs each pass the plans say is due and not yet done,
/// so a lost, failed or crashed job costs at most one interval. Runs in every instance; passes are idempotent and
/// a grant being collected elsewhere is skipped.
/// </summary>
internal sealed class EvidenceSweeper(
    NpgsqlDataSource database,
    EvidencePlanner planner,
    EvidenceCollector collector,
    IOptionsMonitor<EvidenceOptions> options,
    ILogger<EvidenceSweeper> logger) : BackgroundService
{
    private const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds));
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            // A CloudTrail timeout is an OperationCanceledException too: only shutdown may end the loop.
            catch (Exception failure) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(failure, "Evidence sweep failed; retrying at the next pass");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<(Guid GrantId, bool FinalDue)> due;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await planner.PlanMissingAsync(connection);
            due = (await connection.QueryAsync<(Guid GrantId, bool FinalDue)>(
                """
                SELECT grant_id, final_pass_due_at <= now() FROM evidence
                WHERE final_pass_at IS NULL
                  AND ((first_pass_at IS NULL AND first_pass_due_at <= now()) OR final_pass_due_at <= now())
                  AND (next_attempt_at IS NULL OR next_attempt_at <= now())
                ORDER BY first_pass_due_at
                LIMIT @BatchSize
                """,
                new { BatchSize })).AsList();
        }
        foreach (var (grantId, finalDue) in due)
        {
            try
            {
                await collector.RunPendingAsync(grantId, finalDue ? EvidencePass.Final : EvidencePass.First, cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Sweeper could not collect evidence for grant {GrantId} yet: {Error}", grantId, failure.Message);
            }
        }
        return due.Count;
    }
}
