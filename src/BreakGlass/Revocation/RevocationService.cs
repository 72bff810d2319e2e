using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Storage;
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
    IamClient iam,
    TicketOutbox tickets,
    EvidencePlanner evidence,
    IOptionsMonitor<RevocationOptions> options,
    TimeProvider time,
    ILogger<RevocationService> logger)
{
    /// <summary>Marks the grant as ending early (who, why). Returns false when it had already ended.</summary>
    public async Task<bool> EndEarlyAsync(Guid grantId, string actor, string reason, CancellationToken cancellationToken)
    {
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
                // A timeout can hide a successful AssumeRole: deny the grant's tag anyway, at no cost if nothing was minted.
                await ApplyDenyAsync(grant, cancellationToken);
                return grant.Status;
            }
            // No check of the clock here: Hangfire may start this job a second before expiresAt, and skipping
            // would leave the session alive until the sweeper's next pass.
            await MoveToRevokingAsync(connection, transaction, grant, SystemActor.Name, "the grant window ended", early: false);
            grant = (await GrantStore.FindAsync(connection, grantId, transaction))!;
            await transaction.CommitAsync(cancellationToken);
        }

        DenyOutcome outcome;
        try
        {
            outcome = await ApplyDenyAsync(grant, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await RecordFailedAttemptAsync(grant, failure);
            throw;
        }

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
            }
            await transaction.CommitAsync(cancellationToken);
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

    internal sealed record DenyOutcome(int DeniedGrantCount, int PrunedGrantCount);

    private Task<DenyOutcome> ApplyDenyAsync(Grant grant, CancellationToken cancellationToken) =>
        ApplyRoleDenyAsync(grant.RoleArn, grant.Id, cancellationToken);

    /// <summary>
    /// Rebuilds the role's deny from the database (adding <paramref name="grantId"/> first, if given) and writes it.
    /// When the ids would not fit in IAM's limit, the role gets an <c>aws:TokenIssueTime</c> cut-off instead of a failure.
    /// </summary>
    internal async Task<DenyOutcome> ApplyRoleDenyAsync(string roleArn, Guid? grantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One role, one key, whatever its spelling in the policy (RoleArn.Canonical); IAM is called with the configured one.
        var role = RoleArn.Canonical(roleArn);
        // The policy is read-modify-write per role: concurrent revocations on one role must never lose an id.
        await AdvisoryLocks.RoleDenyPolicy.TakeAsync(connection, role);
        try
        {
            if (grantId is { } id)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO role_denies (role_arn, grant_id, credentials_expire_at)
                    SELECT @role, id, credentials_expire_at FROM grants WHERE id = @id
                    ON CONFLICT (role_arn, grant_id) DO UPDATE SET credentials_expire_at = excluded.credentials_expire_at
                    """,
                    new { id, role });
            }
            var entries = (await connection.QueryAsync<(Guid GrantId, DateTimeOffset CredentialsExpireAt, DateTimeOffset? EndedAt)>(
                    """
                    SELECT d.grant_id, d.credentials_expire_at, g.ended_at
                    FROM role_denies d JOIN grants g ON g.id = d.grant_id
                    WHERE d.role_arn = @role
                    """, new { role }))
                .Select(row => new DenyPolicyEntry(row.GrantId, row.CredentialsExpireAt, row.EndedAt))
                .ToList();
            var cutoff = await RoleCutoffs.FindAsync(connection, roleArn);
            var policy = DenyPolicy.BuildWithinLimit(entries, time, cutoff);
            if (policy.RevokeSessionsIssuedBefore is { } before && (cutoff is null || before > cutoff))
            {
                await RecordOverflowCutoffAsync(connection, roleArn, before, entries.Count);
            }
            var roleName = RoleArn.RoleName(roleArn);
            if (policy.IsEmpty)
            {
                await iam.DeleteRolePolicyAsync(roleName, DenyPolicy.PolicyName, cancellationToken);
            }
            else
            {
                await iam.PutRolePolicyAsync(roleName, DenyPolicy.PolicyName, policy.ToJson(), cancellationToken);
            }
            var pruned = entries.Select(entry => entry.GrantId).Except(policy.GrantIds).ToArray();
            if (pruned.Length > 0)
            {
                await connection.ExecuteAsync(
                    "DELETE FROM role_denies WHERE role_arn = @role AND grant_id = ANY(@pruned)", new { role, pruned });
            }
            return new DenyOutcome(policy.GrantIds.Count, pruned.Length);
        }
        finally
        {
            await AdvisoryLocks.RoleDenyPolicy.ReleaseAsync(connection, role);
        }
    }

    // Recorded before IAM is written: a retry after a failed write rebuilds the same cut-off from the database.
    private async Task RecordOverflowCutoffAsync(NpgsqlConnection connection, string roleArn, DateTimeOffset before, int revokedGrants)
    {
        const string reason = "the revoked grant ids no longer fit in IAM's inline policy limit";
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await RoleCutoffs.RaiseAsync(connection, transaction, roleArn, before, time.GetUtcNow(), SystemActor.Name, reason);
            await audit.AppendAsync(connection, transaction, null, RevocationAuditEvents.RoleSessionsCutOff, SystemActor.Name, new Dictionary<string, object?>
            {
                ["roleArn"] = roleArn,
                ["revokeSessionsIssuedBefore"] = before,
                ["reason"] = reason,
                ["revokedGrants"] = revokedGrants,
            });
            await transaction.CommitAsync();
        }
        RoleCutoffLog.OverflowCutoff(logger, roleArn, before, revokedGrants);
    }

    private async Task RecordFailedAttemptAsync(Grant grant, Exception failure)
    {
        var error = $"{failure.GetType().Name}: {failure.Message}";
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var attempts = await GrantStore.RecordRevocationFailureAsync(connection, transaction, grant.Id, error);
        if (attempts >= options.CurrentValue.AlertAfterAttempts
            && await GrantStore.TryMoveAsync(connection, transaction, grant.Id, GrantStatus.RevocationFailed))
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
        if (attempts >= options.CurrentValue.AlertAfterAttempts)
        {
            RevocationLog.KeepsFailing(logger, grant.Id, grant.RoleName, grant.Requester, attempts, error);
        }
        else
        {
            RevocationLog.AttemptFailed(logger, grant.Id, attempts, error);
        }
    }
}
