using BreakGlass.Aws.Iam;
using Dapper;
using Npgsql;

namespace BreakGlass.Revocation;

/// <summary>
/// SQL for <c>role_cutoffs</c>: the newest <c>aws:TokenIssueTime</c> cut-off of each role, keyed by the role's
/// canonical ARN (<see cref="RoleArn.Canonical"/>), since a cut-off applies to the IAM role however it is spelled.
/// </summary>
internal static class RoleCutoffs
{
    public static Task<DateTimeOffset?> FindAsync(NpgsqlConnection connection, string roleArn, NpgsqlTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<DateTimeOffset?>(
            "SELECT revoke_sessions_issued_before FROM role_cutoffs WHERE role_arn = @roleArn", new { roleArn = RoleArn.Canonical(roleArn) }, transaction);

    /// <summary>Records <paramref name="before"/> unless the role already has a later cut-off (which covers it).</summary>
    public static Task RaiseAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string roleArn, DateTimeOffset before, DateTimeOffset now, string actor, string reason) =>
        connection.ExecuteAsync(
            """
            INSERT INTO role_cutoffs (role_arn, revoke_sessions_issued_before, set_at, set_by, reason)
            VALUES (@roleArn, @before, @now, @actor, @reason)
            ON CONFLICT (role_arn) DO UPDATE
            SET revoke_sessions_issued_before = excluded.revoke_sessions_issued_before,
                set_at = excluded.set_at, set_by = excluded.set_by, reason = excluded.reason
            WHERE role_cutoffs.revoke_sessions_issued_before < excluded.revoke_sessions_issued_before
            """,
            new { roleArn = RoleArn.Canonical(roleArn), before, now, actor, reason },
            transaction);
}
