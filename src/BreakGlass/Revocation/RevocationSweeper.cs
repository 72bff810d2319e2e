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
    GrantIssuer issuer,
    IOptionsMonitor<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationSweeper> logger) : Sweeper(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.SweepIntervalSeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await issuer.FailStuckIssuingAsync(cancellationToken);
        IReadOnlyList<(Guid Id, string RoleArn)> due;
        var now = Time.GetUtcNow();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            // A Failed grant's AssumeRole may have minted credentials (a timeout, a crash): its tag is denied like any
            // other until they could have expired, and retried while its last attempt failed.
            due = (await connection.QueryAsync<(Guid, string)>(
                """
                SELECT id, role_arn FROM grants
                WHERE (status = ANY(@open) AND expires_at <= @now)
                   OR status = ANY(@unfinished)
                   OR (status = @failed AND expires_at <= @now AND credentials_expire_at + @margin > @now
                       AND (last_revocation_error IS NOT NULL OR NOT EXISTS (SELECT 1 FROM role_denies WHERE grant_id = grants.id)))
                ORDER BY expires_at
                """,
                new
                {
                    now,
                    open = GrantStore.OpenStatuses,
                    unfinished = new[] { nameof(GrantStatus.Revoking), nameof(GrantStatus.RevocationFailed) },
                    failed = nameof(GrantStatus.Failed),
                    margin = DenyPolicy.DeniedAfterCredentialsExpire,
                })).AsList();
        }
        // One wave per role: all its due grants ride one deny write and one verification.
        foreach (var role in due.GroupBy(grant => grant.RoleArn))
        {
            try
            {
                await revocation.RevokeWaveAsync(role.Key, role.Select(grant => grant.Id).ToArray(), cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                RevocationLog.SweepCouldNotRevokeYet(Logger, role.Key, role.Count(), failure.Message);
            }
        }
        return due.Count;
    }
}
