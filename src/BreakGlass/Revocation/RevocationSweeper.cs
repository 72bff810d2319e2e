using BreakGlass.Grants;
using BreakGlass.Jobs;
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
    ILogger<RevocationSweeper> logger) : Sweeper(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> due;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            due = (await connection.QueryAsync<Guid>(
                """
                SELECT id FROM grants
                WHERE (status = ANY(@open) AND expires_at <= @now) OR status = ANY(@unfinished)
                ORDER BY expires_at
                """,
                new
                {
                    now = Time.GetUtcNow(),
                    open = GrantStore.OpenStatuses,
                    unfinished = new[] { nameof(GrantStatus.Revoking), nameof(GrantStatus.RevocationFailed) },
                })).AsList();
        }
        foreach (var grantId in due)
        {
            try
            {
                await revocation.RevokeAsync(grantId, cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                RevocationLog.SweepCouldNotRevokeYet(Logger, grantId, failure.Message);
            }
        }
        return due.Count;
    }
}
