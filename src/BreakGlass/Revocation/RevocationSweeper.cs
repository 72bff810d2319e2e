using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Revocation;

/// <summary>
/// The source of truth for revocation: every pass revokes each grant past its window that is not yet revoked,
/// so a lost, delayed or crashed job costs at most one interval. Runs in every instance; revocation is idempotent.
/// </summary>
internal sealed class RevocationSweeper(
    NpgsqlDataSource database,
    RevocationService revocation,
    IOptionsMonitor<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds));
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                logger.LogError(failure, "Revocation sweep failed; retrying at the next pass");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> due;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<Guid>(
                """
                SELECT id FROM grants
                WHERE (status IN ('Issuing', 'Active') AND expires_at <= @now)
                   OR status IN ('Revoking', 'RevocationFailed')
                ORDER BY expires_at
                """, new { now = time.GetUtcNow() })).AsList();
        }
        foreach (var grantId in due)
        {
            try
            {
                await revocation.RevokeAsync(grantId, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                logger.LogWarning("Sweeper could not revoke grant {GrantId} yet: {Error}", grantId, failure.Message);
            }
        }
        return due.Count;
    }
}
