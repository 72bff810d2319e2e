using BreakGlass.Accounts;
using BreakGlass.Aws.Iam;
using BreakGlass.Audit;
using BreakGlass.Grants;
using BreakGlass.Observability;
using BreakGlass.Jobs;
using BreakGlass.Policy;
using BreakGlass.Tickets;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Revocation;

/// <summary>
/// Checks every <c>Revocation:VerifySeconds</c> that each role's deny in IAM still denies what the database says it
/// must, and puts it back when it was deleted or edited: a critical ALERT, an audit event and a comment on each
/// affected grant's ticket. Runs in every instance; the per-role lock makes one instance check a role at a time.
/// </summary>
internal sealed class DenyReconciler(
    NpgsqlDataSource database,
    RoleDenyWriter denies,
    AccountDirectory accounts,
    AuditLog audit,
    TicketOutbox tickets,
    IOptions<PolicyOptions> policy,
    IOptionsMonitor<RevocationOptions> options,
    TimeProvider time,
    ILogger<DenyReconciler> logger) : Sweeper(time, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.CurrentValue.VerifySeconds);

    protected override Task RunPassAsync(CancellationToken cancellationToken) => ReconcileAsync(cancellationToken);

    /// <summary>One pass over every configured role and every role with denied grants; returns how many were repaired.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        // A configured role in an account BreakGlass cannot reach was alerted at start and is never issued: nothing of it
        // to check. A role that has denies is checked whatever its account, so losing the agent keeps being reported.
        var roles = policy.Value.Roles.Select(role => role.RoleArn)
            .Where(roleArn => accounts.UnreachableReason(RoleArn.AccountId(roleArn)) is null)
            .Concat(await denies.RolesWithDeniesAsync(cancellationToken))
            .DistinctBy(RoleArn.Canonical)
            .ToArray();
        var repaired = 0;
        foreach (var roleArn in roles)
        {
            try
            {
                if (await denies.RepairIfDriftedAsync(roleArn, cancellationToken) is { } repair)
                {
                    await ReportAsync(repair);
                    repaired++;
                }
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                RevocationLog.VerifyFailed(Logger, failure, roleArn);
            }
        }
        return repaired;
    }

    private async Task ReportAsync(DenyRepair repair)
    {
        var drift = repair.Drift;
        RevocationLog.DriftRepaired(Logger, repair.RoleArn, drift.Finding, drift.MissingGrantIds.Count);
        var now = Time.GetUtcNow();
        var data = new Dictionary<string, object?>
        {
            ["roleArn"] = repair.RoleArn,
            ["policyName"] = DenyPolicy.PolicyName,
            ["finding"] = drift.Finding,
            ["missingGrantIds"] = drift.MissingGrantIds.Select(DenyPolicy.GrantTagValue).ToArray(),
            ["restoredGrantCount"] = repair.Restored.GrantIds.Count,
            ["repairedAt"] = now,
        };
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (drift.MissingGrantIds.Count == 0)
        {
            await audit.AppendAsync(connection, transaction, null, RevocationAuditEvents.DenyDriftRepaired, SystemActor.Name, data);
        }
        foreach (var grantId in drift.MissingGrantIds)
        {
            var recorded = await audit.AppendAsync(connection, transaction, grantId, RevocationAuditEvents.DenyDriftRepaired, SystemActor.Name, data);
            if (await GrantStore.FindAsync(connection, grantId, transaction) is { } grant)
            {
                await tickets.EnqueueCommentAsync(connection, transaction, grantId, TicketOutbox.Keys.DenyDrift(recorded.Sequence),
                    TicketMarkdown.DenyDriftRepaired(grant, drift.Finding, now));
            }
        }
        await transaction.CommitAsync();
        BreakGlassMetrics.DenyDriftRepaired(drift.Finding);
    }
}
