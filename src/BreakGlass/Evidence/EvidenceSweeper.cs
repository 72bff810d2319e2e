using BreakGlass.Jobs;
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
    TimeProvider time,
    ILogger<EvidenceSweeper> logger) : Sweeper(time, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

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
                EvidenceLog.SweepCouldNotCollectYet(Logger, grantId, failure.Message);
            }
        }
        return due.Count;
    }
}
