using System.Security.Cryptography;
using System.Text;
using BreakGlass.Accounts;
using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Grants;
using BreakGlass.Storage;
using Dapper;
using Npgsql;

namespace BreakGlass.Revocation;

/// <summary>What a deny write left in IAM.</summary>
internal sealed record DenyOutcome(int DeniedGrantCount, int PrunedGrantCount);

/// <summary>A drifted deny that was found and put back.</summary>
internal sealed record DenyRepair(string RoleArn, DenyDrift Drift, DenyPolicy Restored);

/// <summary>
/// The one owner of <c>role_denies</c> and of the role's <see cref="DenyPolicy.PolicyName"/> in IAM. Every write
/// rebuilds the document from the database (the source of truth, not the document in IAM), reads it back, and
/// records the verification in the audit chain; a write IAM does not hold back is a failed write. IAM is called in the
/// role's own account: through that account's agent session, or as the broker itself in its own account.
/// </summary>
internal sealed class RoleDenyWriter(NpgsqlDataSource database, AccountDirectory accounts, AuditLog audit, TimeProvider time, ILogger<RoleDenyWriter> logger)
{
    // IAM is eventually consistent: a read right after a write may still see the previous document.
    private static readonly TimeSpan[] ReadBackDelays = [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    /// <summary>
    /// Rebuilds the role's deny from the database (adding <paramref name="grantId"/> first, if given), writes and
    /// verifies it, and prunes ids no longer needed. When the ids would not fit in IAM's limit, the role gets an
    /// <c>aws:TokenIssueTime</c> cut-off instead of a failure.
    /// </summary>
    public async Task<DenyOutcome> DenyAsync(string roleArn, Guid? grantId, CancellationToken cancellationToken)
    {
        await using var locked = await LockRoleAsync(roleArn, cancellationToken);
        return await locked.DenyAsync(grantId is { } id ? [id] : [], cancellationToken);
    }

    /// <summary>
    /// Takes the role's deny lock (read-modify-write per role: concurrent revocations and the reconciler must never
    /// lose an id) and holds it until the result is disposed, so a caller can decide under it which grants join the
    /// next write.
    /// </summary>
    public async Task<LockedRoleDeny> LockRoleAsync(string roleArn, CancellationToken cancellationToken)
    {
        var connection = await database.OpenConnectionAsync(cancellationToken);
        try
        {
            // One role, one key, whatever its spelling (RoleArn.Canonical); IAM is called with the configured spelling.
            await AdvisoryLocks.RoleDenyPolicy.TakeAsync(connection, RoleArn.Canonical(roleArn));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new LockedRoleDeny(this, connection, roleArn, time, logger);
    }

    /// <summary>
    /// Under the role's lock: adds <paramref name="grantIds"/> to the role's deny, rebuilds it from the database, writes
    /// it once, verifies it, records a verification for each grant, and prunes ids no longer needed.
    /// </summary>
    internal async Task<DenyOutcome> DenyLockedAsync(
        NpgsqlConnection connection, string roleArn, IReadOnlyCollection<Guid> grantIds, CancellationToken cancellationToken)
    {
        var role = RoleArn.Canonical(roleArn);
        if (grantIds.Count > 0)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO role_denies (role_arn, grant_id, credentials_expire_at)
                SELECT @role, id, credentials_expire_at FROM grants WHERE id = ANY(@grantIds)
                ON CONFLICT (role_arn, grant_id) DO UPDATE SET credentials_expire_at = excluded.credentials_expire_at
                """,
                new { grantIds = grantIds.ToArray(), role });
        }
        var entries = await EntriesAsync(connection, role);
        var cutoff = await RoleCutoffs.FindAsync(connection, roleArn);
        var policy = DenyPolicy.BuildWithinLimit(entries, time, cutoff);
        if (policy.RevokeSessionsIssuedBefore is { } before && (cutoff is null || before > cutoff))
        {
            await RecordOverflowCutoffAsync(connection, roleArn, before, entries.Count);
        }
        await WriteVerifiedAsync(connection, grantIds, roleArn, policy, "revocation", cancellationToken);
        var pruned = entries.Select(entry => entry.GrantId).Except(policy.GrantIds).ToArray();
        if (pruned.Length > 0)
        {
            await connection.ExecuteAsync(
                "DELETE FROM role_denies WHERE role_arn = @role AND grant_id = ANY(@pruned)", new { role, pruned });
        }
        return new DenyOutcome(policy.GrantIds.Count, pruned.Length);
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

    /// <summary>
    /// Compares the role's deny in IAM with the database and restores it when it no longer denies what it must.
    /// Null when it is intact, or when another instance holds the role (it is writing or checking it right now).
    /// </summary>
    public async Task<DenyRepair?> RepairIfDriftedAsync(string roleArn, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var role = RoleArn.Canonical(roleArn);
        if (!await AdvisoryLocks.RoleDenyPolicy.TryTakeAsync(connection, role))
        {
            return null;
        }
        try
        {
            // Build, not BuildWithinLimit: raising an overflow cut-off is the revocation path's decision, not a repair's.
            var expected = DenyPolicy.Build(await EntriesAsync(connection, role), time, await RoleCutoffs.FindAsync(connection, roleArn));
            // A grant whose revocation has not succeeded yet is the revocation path's to write (and alert), not drift.
            var confirmed = (await connection.QueryAsync<Guid>(
                """
                SELECT d.grant_id FROM role_denies d JOIN grants g ON g.id = d.grant_id
                WHERE d.role_arn = @role AND g.last_revocation_error IS NULL AND g.status <> ALL(@unfinished)
                """,
                new { role, unfinished = new[] { nameof(GrantStatus.Revoking), nameof(GrantStatus.RevocationFailed) } })).ToHashSet();
            var held = await accounts.IamFor(roleArn).GetRolePolicyAsync(RoleArn.RoleName(roleArn), DenyPolicy.PolicyName, cancellationToken);
            if (DenyDrift.Find(held, expected, confirmed) is not { } drift)
            {
                return null;
            }
            await WriteVerifiedAsync(connection, [], roleArn, expected, "drift-repair", cancellationToken);
            return new DenyRepair(roleArn, drift, expected);
        }
        finally
        {
            await AdvisoryLocks.RoleDenyPolicy.ReleaseAsync(connection, role);
        }
    }

    /// <summary>
    /// Proves, for preflight, that BreakGlass can read the role's deny and write it: what IAM holds is written back
    /// unchanged; a role with no deny yet gets a probe that matches no session, removed at once. Both are read back.
    /// Under the role's lock, so neither a revocation nor the reconciler ever sees the probe.
    /// </summary>
    /// <returns>What was proven, for the preflight report.</returns>
    /// <exception cref="DenyVerificationException">IAM did not hold back what was written.</exception>
    public async Task<string> ProbeAsync(string roleArn, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var role = RoleArn.Canonical(roleArn);
        await AdvisoryLocks.RoleDenyPolicy.TakeAsync(connection, role);
        try
        {
            var iam = accounts.IamFor(roleArn);
            var roleName = RoleArn.RoleName(roleArn);
            var held = await iam.GetRolePolicyAsync(roleName, DenyPolicy.PolicyName, cancellationToken);
            if (held is not null)
            {
                await iam.PutRolePolicyAsync(roleName, DenyPolicy.PolicyName, held, cancellationToken);
                return await HoldsAsync(iam, roleName, held, cancellationToken)
                    ? $"{DenyPolicy.PolicyName} read and written back unchanged"
                    : throw new DenyVerificationException(roleArn);
            }
            await iam.PutRolePolicyAsync(roleName, DenyPolicy.PolicyName, ProbeDocument, cancellationToken);
            await iam.DeleteRolePolicyAsync(roleName, DenyPolicy.PolicyName, cancellationToken);
            return await HoldsAsync(iam, roleName, null, cancellationToken)
                ? $"no {DenyPolicy.PolicyName} yet: a probe deny was written and removed"
                : throw new DenyVerificationException(roleArn);
        }
        finally
        {
            await AdvisoryLocks.RoleDenyPolicy.ReleaseAsync(connection, role);
        }
    }

    private async Task<bool> HoldsAsync(IamClient iam, string roleName, string? expected, CancellationToken cancellationToken)
    {
        foreach (var delay in ReadBackDelays)
        {
            await Task.Delay(delay, time, cancellationToken);
            if (await iam.GetRolePolicyAsync(roleName, DenyPolicy.PolicyName, cancellationToken) == expected) return true;
        }
        return false;
    }

    // No grant id is ever "preflight-probe" (ids are GUIDs), so the probe denies no session while it exists.
    private const string ProbeDocument =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"BreakGlassPreflightProbe\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalTag/" + DenyPolicy.GrantTagKey + "\":\"preflight-probe\"}}}]}";

    /// <summary>Every role that has denied grants: the reconciler checks these besides the configured roles.</summary>
    public async Task<IReadOnlyList<string>> RolesWithDeniesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<string>("SELECT DISTINCT role_arn FROM role_denies")).AsList();
    }

    private static async Task<List<DenyPolicyEntry>> EntriesAsync(NpgsqlConnection connection, string canonicalRoleArn) =>
        (await connection.QueryAsync<(Guid GrantId, DateTimeOffset CredentialsExpireAt, DateTimeOffset? EndedAt)>(
            """
            SELECT d.grant_id, d.credentials_expire_at, g.ended_at
            FROM role_denies d JOIN grants g ON g.id = d.grant_id
            WHERE d.role_arn = @canonicalRoleArn
            """, new { canonicalRoleArn }))
        .Select(row => new DenyPolicyEntry(row.GrantId, row.CredentialsExpireAt, row.EndedAt))
        .ToList();

    /// <summary>
    /// One write and one read-back, however many grants it is for; the verification is recorded in each grant's chain
    /// (or once, for no grant, when the write is a repair or a cut-off).
    /// </summary>
    private async Task WriteVerifiedAsync(
        NpgsqlConnection connection, IReadOnlyCollection<Guid> grantIds, string roleArn, DenyPolicy policy, string trigger, CancellationToken cancellationToken)
    {
        var roleName = RoleArn.RoleName(roleArn);
        var iam = accounts.IamFor(roleArn);
        if (policy.IsEmpty)
        {
            await iam.DeleteRolePolicyAsync(roleName, DenyPolicy.PolicyName, cancellationToken);
        }
        else
        {
            await iam.PutRolePolicyAsync(roleName, DenyPolicy.PolicyName, policy.ToJson(), cancellationToken);
        }
        var readBack = await ReadBackAsync(iam, roleName, policy, cancellationToken)
                       ?? throw new DenyVerificationException(roleArn);
        var verification = new Dictionary<string, object?>
        {
            ["roleArn"] = roleArn,
            ["policyName"] = DenyPolicy.PolicyName,
            ["trigger"] = trigger,
            ["deniedGrantIds"] = policy.GrantIds.Select(DenyPolicy.GrantTagValue).ToArray(),
            ["revokeSessionsIssuedBefore"] = policy.RevokeSessionsIssuedBefore,
            ["documentSha256"] = readBack.DocumentSha256,
        };
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var grantId in grantIds.Count > 0 ? grantIds.Select(id => (Guid?)id) : [null])
        {
            await audit.AppendAsync(connection, transaction, grantId, RevocationAuditEvents.DenyVerified, SystemActor.Name, verification);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record ReadBack(string? DocumentSha256);

    private async Task<ReadBack?> ReadBackAsync(IamClient iam, string roleName, DenyPolicy written, CancellationToken cancellationToken)
    {
        foreach (var delay in ReadBackDelays)
        {
            await Task.Delay(delay, time, cancellationToken);
            var document = await iam.GetRolePolicyAsync(roleName, DenyPolicy.PolicyName, cancellationToken);
            if (DenyDrift.IsExactly(document, written))
            {
                return new ReadBack(document is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(document))));
            }
        }
        return null;
    }
}
