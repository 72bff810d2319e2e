using Dapper;
using Npgsql;

namespace BreakGlass.Reviews;

/// <param name="Supersedes">For a flag raised after an approval: the approval it replaces as the current decision.</param>
internal sealed record ReviewView(string Decision, string Reviewer, DateTimeOffset DecidedAt, string? Notes, string EvidenceSha256, string? Supersedes = null);

/// <summary>A grant's decisions: the current one (the newest) and every one, oldest first; none is ever changed or removed.</summary>
internal sealed record ReviewHistory(ReviewView? Current, IReadOnlyList<ReviewView> Decisions)
{
    public static readonly ReviewHistory None = new(null, []);
}

/// <summary>The reviews table's SQL: decisions are only ever added (migrations 0008 and 0009).</summary>
internal static class ReviewRecords
{
    private const string Columns = "grant_id AS GrantId, decision, reviewer, decided_at AS DecidedAt, notes, evidence_sha256 AS EvidenceSha256";

    private sealed record Row(Guid GrantId, string Decision, string Reviewer, DateTimeOffset DecidedAt, string? Notes, string EvidenceSha256);

    public static async Task<ReviewHistory> FindAsync(NpgsqlConnection connection, Guid grantId, NpgsqlTransaction? transaction = null) =>
        (await FindAllAsync(connection, [grantId], transaction)).GetValueOrDefault(grantId, ReviewHistory.None);

    public static async Task<IReadOnlyDictionary<Guid, ReviewHistory>> FindAllAsync(
        NpgsqlConnection connection, Guid[] grantIds, NpgsqlTransaction? transaction = null) =>
        (await connection.QueryAsync<Row>($"SELECT {Columns} FROM reviews WHERE grant_id = ANY(@grantIds) ORDER BY decided_at, id", new { grantIds }, transaction))
            .GroupBy(row => row.GrantId)
            .ToDictionary(group => group.Key, group => History(group.ToList()));

    public static Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid grantId, ReviewView decision) =>
        connection.ExecuteAsync(
            """
            INSERT INTO reviews (grant_id, decision, reviewer, decided_at, notes, evidence_sha256)
            VALUES (@grantId, @Decision, @Reviewer, @DecidedAt, @Notes, @EvidenceSha256)
            """,
            new { grantId, decision.Decision, decision.Reviewer, decision.DecidedAt, decision.Notes, decision.EvidenceSha256 }, transaction);

    /// <summary>The SQL condition "the grant's current decision is @decision", for queries over grants aliased <c>g</c>.</summary>
    public const string CurrentDecisionIs =
        "(SELECT r.decision FROM reviews r WHERE r.grant_id = g.id ORDER BY r.decided_at DESC, r.id DESC LIMIT 1) = @Decision";

    public const string HasDecision = "EXISTS (SELECT 1 FROM reviews r WHERE r.grant_id = g.id)";

    private static ReviewHistory History(List<Row> rows)
    {
        var decisions = rows.Select((row, index) => new ReviewView(row.Decision, row.Reviewer, row.DecidedAt, row.Notes, row.EvidenceSha256,
            index > 0 ? rows[index - 1].Decision : null)).ToList();
        return new ReviewHistory(decisions[^1], decisions);
    }
}
