using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Policy;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Revocation;

internal sealed record RevokeAllOutcome(string Role, string RoleArn, DateTimeOffset RevokeSessionsIssuedBefore, IReadOnlyList<Guid> EndedGrants);

/// <summary>
/// The panic button: every session of a role issued before now is refused (<c>aws:TokenIssueTime</c>), whoever issued
/// it, and the role's open grants end. Sessions minted afterwards work.
/// </summary>
internal sealed class RoleRevokeAll(
    NpgsqlDataSource database,
    AuditLog audit,
    RevocationService revocation,
    RoleDenyWriter denies,
    IOptionsMonitor<PolicyOptions> policy,
    TimeProvider time,
    ILogger<RoleRevokeAll> logger)
{
    public async Task<RevokeAllOutcome> RevokeAllAsync(string roleName, string actor, string reason, CancellationToken cancellationToken)
    {
        var role = policy.CurrentValue.Find(roleName) ?? throw new NotFoundException($"There is no break-glass role named '{roleName}'.");
        var now = time.GetUtcNow();
        var before = DenyPolicy.RoundUpToWholeSecond(now);
        var endReason = $"revoke-all on {role.Name}: {reason}";
        List<Guid> ended = [];
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await RoleCutoffs.RaiseAsync(connection, transaction, role.RoleArn, before, now, actor, reason);
            // Every policy role on this IAM role: the cut-off refuses their sessions whichever name they were requested under.
            var open = await connection.QueryAsync<(Guid Id, string RoleArn)>(
                "SELECT id, role_arn FROM grants WHERE status = ANY(@open) ORDER BY requested_at",
                new { open = GrantStore.OpenStatuses }, transaction);
            var canonical = RoleArn.Canonical(role.RoleArn);
            foreach (var grantId in open.Where(grant => RoleArn.Canonical(grant.RoleArn) == canonical).Select(grant => grant.Id))
            {
                if (await revocation.EndEarlyAsync(connection, transaction, grantId, actor, endReason)) ended.Add(grantId);
            }
            await audit.AppendAsync(connection, transaction, null, RevocationAuditEvents.RoleRevokedAll, actor, new Dictionary<string, object?>
            {
                ["role"] = role.Name,
                ["roleArn"] = role.RoleArn,
                ["reason"] = reason,
                ["revokeSessionsIssuedBefore"] = before,
                ["endedGrants"] = ended,
            });
            await transaction.CommitAsync(cancellationToken);
        }
        RoleCutoffLog.RevokedAll(logger, role.Name, role.RoleArn, actor, before, ended.Count, reason);

        try
        {
            await denies.DenyAsync(role.RoleArn, null, cancellationToken);
        }
        // A timeout is an OperationCanceledException too: only the caller's own cancellation is not a failed write.
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            RoleCutoffLog.RevokeAllWriteFailed(logger, role.RoleArn, before, failure.Message);
            if (ended.Count == 0)
            {
                throw new UpstreamException($"The cut-off {before:O} on {role.RoleArn} is recorded but IAM did not take it ({failure.Message}); call revoke-all again.");
            }
        }
        // Each ended grant's own revocation moves it to Revoked and comments on its ticket; the sweeper retries what fails.
        foreach (var grantId in ended)
        {
            try
            {
                await revocation.RevokeAsync(grantId, cancellationToken);
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested && failure is not DomainException)
            {
                RoleCutoffLog.RevokeAllLeftToSweeper(logger, grantId, failure.Message);
            }
        }
        return new RevokeAllOutcome(role.Name, role.RoleArn, before, ended);
    }
}
