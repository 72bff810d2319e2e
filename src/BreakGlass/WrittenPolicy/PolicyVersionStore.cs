using Dapper;
using Npgsql;

namespace BreakGlass.WrittenPolicy;

/// <summary>One recorded policy version, with its approval if it has one.</summary>
internal sealed record PolicyVersionRecord(
    string Version, string CanonicalJson, string Markdown, DateTimeOffset FirstSeenAt, string? ChangedBy,
    string? ApprovedBy, string? ApprovedByName, DateTimeOffset? ApprovedAt)
{
    public string Status => ApprovedAt is null ? PolicyStatuses.Pending : PolicyStatuses.Approved;
}

internal static class PolicyStatuses
{
    public const string Pending = "pending";
    public const string Approved = "approved";
}

/// <summary>The SQL of <c>policy_versions</c> and <c>policy_approvals</c> (both append-only).</summary>
internal static class PolicyVersionStore
{
    private const string Select =
        """
        SELECT v.version, v.canonical_json AS CanonicalJson, v.markdown, v.first_seen_at AS FirstSeenAt, v.changed_by AS ChangedBy,
               a.approved_by AS ApprovedBy, a.approved_by_name AS ApprovedByName, a.approved_at AS ApprovedAt
        FROM policy_versions v LEFT JOIN policy_approvals a ON a.version = v.version
        """;

    /// <returns>True when this call recorded the version; false when it was already known.</returns>
    public static async Task<bool> TryRecordAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, GeneratedPolicy policy, DateTimeOffset seenAt, string? changedBy) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO policy_versions (version, canonical_json, markdown, first_seen_at, changed_by)
            VALUES (@Version, @CanonicalJson, @Markdown, @seenAt, @changedBy)
            ON CONFLICT (version) DO NOTHING
            """,
            new { policy.Version, policy.CanonicalJson, policy.Markdown, seenAt, changedBy }, transaction) == 1;

    public static Task<PolicyVersionRecord?> FindAsync(NpgsqlConnection connection, string version, NpgsqlTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<PolicyVersionRecord>($"{Select} WHERE v.version = @version", new { version }, transaction);

    public static async Task<IReadOnlyList<PolicyVersionRecord>> ListAsync(NpgsqlConnection connection) =>
        (await connection.QueryAsync<PolicyVersionRecord>($"{Select} ORDER BY v.first_seen_at, v.version")).AsList();

    /// <returns>True when this call approved the version; false when it already had an approval.</returns>
    public static async Task<bool> TryApproveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string version, string approvedBy, string approvedByName, DateTimeOffset approvedAt) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO policy_approvals (version, approved_by, approved_by_name, approved_at)
            VALUES (@version, @approvedBy, @approvedByName, @approvedAt)
            ON CONFLICT (version) DO NOTHING
            """,
            new { version, approvedBy, approvedByName, approvedAt }, transaction) == 1;

    /// <summary>The approval time of each of <paramref name="versions"/> that has one.</summary>
    public static async Task<IReadOnlyDictionary<string, (DateTimeOffset ApprovedAt, string ApprovedByName)>> ApprovalsAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> versions) =>
        (await connection.QueryAsync<(string Version, DateTimeOffset ApprovedAt, string ApprovedByName)>(
            "SELECT version, approved_at, approved_by_name FROM policy_approvals WHERE version = ANY(@versions)",
            new { versions = versions.ToArray() }))
        .ToDictionary(row => row.Version, row => (row.ApprovedAt, row.ApprovedByName), StringComparer.Ordinal);
}
