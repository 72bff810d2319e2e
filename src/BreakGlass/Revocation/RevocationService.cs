using BreakGlass.Audit;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Observability;
using BreakGlass.Tickets;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Revocation;

/// <summary>
/// Ends grants and cuts their sessions off with the role's BreakGlass-owned deny policy. Every step is
/// idempotent: any number of jobs, sweepers and instances may revoke the same grant, and it is revoked once.
/// </summary>
internal sealed class RevocationService(
    NpgsqlDataSource database,
    AuditLog audit,
    RoleDenyWriter denies,
    TicketOutbox tickets,
    EvidencePlanner evidence,
    IOptionsMonitor<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationService> logger)
{
    /// <summary>Marks the grant as ending early (who, why). Returns false when it had already ended.</summary>
    public async Task<bool> EndEarlyAsync(Guid grantId, string actor, string reason, CancellationToken cancellationToken)
    {
        using var grantTelemetry = Telemetry.ForGrant(logger, grantId);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var moved = await EndEarlyAsync(connection, transaction, grantId, actor, reason);
        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    /// <summary>The same, inside the caller's transaction.</summary>
    public async Task<bool> EndEarlyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid grantId, string actor, string reason)
    {
        var grant = await GrantStore.FindForUpdateAsync(connection, grantId, transaction)
                    ?? throw new NotFoundException($"No grant {grantId} exists.");
        if (grant.Status == GrantStatus.Failed)
        {
            throw new ConflictException($"Grant {grantId} failed to issue: there is nothing to end.");
        }
        return await MoveToRevokingAsync(connection, transaction, grant, actor, reason, early: true);
    }

    /// <summary>
    /// Puts the deny in place and marks the grant revoked; a no-op for a revoked grant. The grant rides a wave: every
    /// other grant of its role that is due by now is denied by the same write.
    /// </summary>
    public async Task<GrantStatus> RevokeAsync(Guid grantId, CancellationToken cancellationToken)
    {
        using var grantTelemetry = Telemetry.ForGrant(logger, grantId, "revoke grant");
        Grant grant;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            grant = await GrantStore.FindAsync(connection, grantId) ?? throw new NotFoundException($"No grant {grantId} exists.");
        }
        if (GrantStatuses.IsRevoked(grant.Status))
        {
            return grant.Status;
        }
        await RevokeWaveAsync(grant.RoleArn, [grantId], cancellationToken);
        return grant.Status == GrantStatus.Failed ? GrantStatus.Failed : GrantStatus.Revoked;
    }

    /// <summary>
    /// One wave on one role: under the role's deny lock, <paramref name="requested"/> and every grant of the role that
    /// is due join it, end together, are denied by one verified IAM write, and are marked revoked together. If the write
    /// fails, every grant of the wave records the failed attempt (and its alert at the threshold). Returns the wave.
    /// </summary>
    public async Task<IReadOnlyList<Grant>> RevokeWaveAsync(string roleArn, IReadOnlyCollection<Guid> requested, CancellationToken cancellationToken)
    {
        await using var role = await denies.LockRoleAsync(roleArn, cancellationToken);
        // Decided under the lock: a wave that waited for the previous one picks up everything that fell due meanwhile,
        // and finds already revoked what the previous wave took, so a burst of jobs on one role makes one write per wave.
        var wave = await JoinWaveAsync(roleArn, requested, cancellationToken);
        if (wave.Count == 0)
        {
            return wave;
        }
        DenyOutcome outcome;
        try
        {
            outcome = await role.DenyAsync(wave.Select(grant => grant.Id).ToArray(), cancellationToken);
        }
        // Only a cancellation the caller asked for is not a failure: HttpClient reports its own timeout (a hanging
        // IAM endpoint) as a TaskCanceledException too, and that must count toward RevocationFailed and its alert.
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            foreach (var grant in wave)
            {
                await RecordFailedAttemptAsync(grant, failure);
            }
            throw;
        }
        await RecordRevokedAsync(wave, outcome, cancellationToken);
        RevocationLog.WaveRevoked(logger, roleArn, wave.Count);
        return wave;
    }

    private async Task<IReadOnlyList<Grant>> JoinWaveAsync(string roleArn, IReadOnlyCollection<Guid> requested, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var wave = await GrantStore.LockRevocationWaveAsync(connection, transaction, roleArn, requested, now);
        // No check of the clock for a requested grant: Hangfire may start its job a second before expiresAt, and
        // skipping would leave the session alive until the sweeper's next pass.
        var moved = false;
        foreach (var grant in wave.Where(grant => grant.Status is GrantStatus.Issuing or GrantStatus.Active))
        {
            moved |= await MoveToRevokingAsync(connection, transaction, grant, SystemActor.Name, "the grant window ended", early: false);
        }
        if (moved)
        {
            // The same instant, so the same grants: re-read for who ended them and when (their ticket comment says so).
            wave = await GrantStore.LockRevocationWaveAsync(connection, transaction, roleArn, requested, now);
        }
        await transaction.CommitAsync(cancellationToken);
        return wave;
    }

    private async Task RecordRevokedAsync(IReadOnlyList<Grant> wave, DenyOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var revoked = new List<Grant>(wave.Count);
        foreach (var grant in wave)
        {
            // A Failed grant's tag is denied like any other until its credentials could have expired (a timeout or a
            // crash can hide a successful AssumeRole); it has no Revoked state to move to.
            if (grant.Status == GrantStatus.Failed)
            {
                await GrantStore.ClearRevocationErrorAsync(connection, transaction, grant.Id);
                continue;
            }
            if (!await GrantStore.TryMarkRevokedAsync(connection, transaction, grant.Id))
            {
                continue;
            }
            await audit.AppendAsync(connection, transaction, grant.Id, RevocationAuditEvents.Revoked, SystemActor.Name, new Dictionary<string, object?>
            {
                ["roleArn"] = grant.RoleArn,
                ["policyName"] = DenyPolicy.PolicyName,
                ["deniedGrants"] = outcome.DeniedGrantCount,
                ["prunedGrants"] = outcome.PrunedGrantCount,
                ["attempts"] = grant.RevocationAttempts + 1,
                ["wave"] = wave.Count,
            });
            await tickets.EnqueueCommentAsync(connection, transaction, grant.Id, TicketOutbox.Keys.Ended,
                TicketMarkdown.Ended(grant, early: grant.EndedBy != SystemActor.Name));
            await evidence.PlanAsync(connection, transaction, grant.Id);
            RevocationLog.Revoked(logger, grant.Id, grant.RoleName);
            revoked.Add(grant);
        }
        await transaction.CommitAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var grant in revoked)
        {
            // From when the session should have been cut off: the window's end, or the early end before it.
            var endedAt = grant.EndedAt is { } ended && ended < grant.ExpiresAt ? ended : grant.ExpiresAt;
            BreakGlassMetrics.RevocationVerified(grant.RoleName, now - endedAt);
        }
    }

    private async Task<bool> MoveToRevokingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Grant grant, string actor, string reason, bool early)
    {
        var now = time.GetUtcNow();
        if (!await GrantStore.TryEndAsync(connection, transaction, grant.Id, now, actor, reason))
        {
            return false;
        }
        await audit.AppendAsync(connection, transaction, grant.Id, RevocationAuditEvents.Ending, actor, new Dictionary<string, object?>
        {
            ["reason"] = reason,
            ["early"] = early,
            ["endedAt"] = now,
            ["windowEndsAt"] = grant.ExpiresAt,
        });
        return true;
    }

    private async Task RecordFailedAttemptAsync(Grant grant, Exception failure)
    {
        var error = $"{failure.GetType().Name}: {failure.Message}";
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await GrantStore.RecordRevocationFailureAsync(connection, transaction, grant.Id, error) is not { } attempts)
        {
            return;
        }
        var threshold = options.CurrentValue.AlertAfterAttempts;
        // A Failed grant has no RevocationFailed state to move to: its alert is recorded once, at the threshold.
        if (attempts >= threshold
            && (await GrantStore.TryMoveAsync(connection, transaction, grant.Id, GrantStatus.RevocationFailed)
                || (grant.Status == GrantStatus.Failed && attempts == threshold)))
        {
            await audit.AppendAsync(connection, transaction, grant.Id, RevocationAuditEvents.Failed, SystemActor.Name, new Dictionary<string, object?>
            {
                ["attempts"] = attempts,
                ["error"] = error,
            });
            await tickets.EnqueueCommentAsync(connection, transaction, grant.Id, TicketOutbox.Keys.RevocationFailing,
                TicketMarkdown.RevocationFailing(grant, attempts, error));
        }
        await transaction.CommitAsync();
        BreakGlassMetrics.RevocationFailed(grant.RoleName);
        if (attempts >= threshold)
        {
            RevocationLog.KeepsFailing(logger, grant.Id, grant.RoleName, grant.Requester, attempts, error);
        }
        else
        {
            RevocationLog.AttemptFailed(logger, grant.Id, attempts, error);
        }
    }
}
