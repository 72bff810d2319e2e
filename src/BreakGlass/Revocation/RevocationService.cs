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

    /// <summary>Puts the deny in place and marks the grant revoked; a no-op for a revoked grant.</summary>
    public async Task<GrantStatus> RevokeAsync(Guid grantId, CancellationToken cancellationToken)
    {
        using var grantTelemetry = Telemetry.ForGrant(logger, grantId, "revoke grant");
        Grant grant;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            grant = await GrantStore.FindForUpdateAsync(connection, grantId, transaction)
                    ?? throw new NotFoundException($"No grant {grantId} exists.");
            if (GrantStatuses.IsRevoked(grant.Status))
            {
                return grant.Status;
            }
            if (grant.Status == GrantStatus.Failed)
            {
                await transaction.CommitAsync(cancellationToken);
                // A timeout or a crash can hide a successful AssumeRole: the grant's tag is denied like any other
                // until its credentials could have expired, retried and alerted the same way.
                await DenyOrRecordFailureAsync(grant, cancellationToken);
                await connection.ExecuteAsync("UPDATE grants SET last_revocation_error = NULL WHERE id = @grantId", new { grantId });
                return grant.Status;
            }
            // No check of the clock here: Hangfire may start this job a second before expiresAt, and skipping
            // would leave the session alive until the sweeper's next pass.
            await MoveToRevokingAsync(connection, transaction, grant, SystemActor.Name, "the grant window ended", early: false);
            grant = (await GrantStore.FindAsync(connection, grantId, transaction))!;
            await transaction.CommitAsync(cancellationToken);
        }

        var outcome = await DenyOrRecordFailureAsync(grant, cancellationToken);

        var revoked = false;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (await GrantStore.TryMarkRevokedAsync(connection, transaction, grantId))
            {
                await audit.AppendAsync(connection, transaction, grantId, RevocationAuditEvents.Revoked, SystemActor.Name, new Dictionary<string, object?>
                {
                    ["roleArn"] = grant.RoleArn,
                    ["policyName"] = DenyPolicy.PolicyName,
                    ["deniedGrants"] = outcome.DeniedGrantCount,
                    ["prunedGrants"] = outcome.PrunedGrantCount,
                    ["attempts"] = grant.RevocationAttempts + 1,
                });
                await tickets.EnqueueCommentAsync(connection, transaction, grantId, TicketOutbox.Keys.Ended,
                    TicketMarkdown.Ended(grant, early: grant.EndedBy != SystemActor.Name));
                await evidence.PlanAsync(connection, transaction, grantId);
                RevocationLog.Revoked(logger, grantId, grant.RoleName);
                revoked = true;
            }
            await transaction.CommitAsync(cancellationToken);
        }
        if (revoked)
        {
            // From when the session should have been cut off: the window's end, or the early end before it.
            var endedAt = grant.EndedAt is { } ended && ended < grant.ExpiresAt ? ended : grant.ExpiresAt;
            BreakGlassMetrics.RevocationVerified(grant.RoleName, time.GetUtcNow() - endedAt);
        }
        return GrantStatus.Revoked;
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

    private async Task<DenyOutcome> DenyOrRecordFailureAsync(Grant grant, CancellationToken cancellationToken)
    {
        try
        {
            return await denies.DenyAsync(grant.RoleArn, grant.Id, cancellationToken);
        }
        // Only a cancellation the caller asked for is not a failure: HttpClient reports its own timeout (a hanging
        // IAM endpoint) as a TaskCanceledException too, and that must count toward RevocationFailed and its alert.
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            await RecordFailedAttemptAsync(grant, failure);
            throw;
        }
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
