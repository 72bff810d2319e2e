using BreakGlass.Grants;
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

    /// <summary>Many decisions in one statement, in order (the triggers of 0008 and 0009 check each row).</summary>
    public static Task InsertAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid GrantId, ReviewView Decision)> decisions) =>
        connection.ExecuteAsync(
            """
            INSERT INTO reviews (grant_id, decision, reviewer, decided_at, notes, evidence_sha256)
            SELECT grant_id, decision, reviewer, decided_at, notes, evidence_sha256
            FROM unnest(@grantIds, @decisions, @reviewers, @decidedAt, @notes, @evidenceSha256) WITH ORDINALITY
                AS d (grant_id, decision, reviewer, decided_at, notes, evidence_sha256, position)
            ORDER BY position
            """,
            new
            {
                grantIds = decisions.Select(row => row.GrantId).ToArray(), decisions = decisions.Select(row => row.Decision.Decision).ToArray(),
                reviewers = decisions.Select(row => row.Decision.Reviewer).ToArray(), decidedAt = decisions.Select(row => row.Decision.DecidedAt).ToArray(),
                notes = decisions.Select(row => row.Decision.Notes).ToArray(), evidenceSha256 = decisions.Select(row => row.Decision.EvidenceSha256).ToArray(),
            },
            transaction);

    /// <summary>
    /// The SQL condition "the grant's current decision is <paramref name="decision"/>" (approved, flagged or none), for
    /// queries over grants aliased <c>g</c>. The grant's status records it: <see cref="ReviewDecisions"/> moves the
    /// grant to Approved or Flagged in the transaction that adds the decision (or adds nothing), and nothing else moves a
    /// grant to or from those states (<see cref="GrantStatuses"/>). Read from the status, the condition is an index range
    /// of the register (0013) instead of a lookup in <c>reviews</c> for every grant of the register.
    /// </summary>
    public static string CurrentDecisionIs(string decision) => decision switch
    {
        "none" => $"g.status NOT IN ('{nameof(GrantStatus.Approved)}', '{nameof(GrantStatus.Flagged)}')",
        "flagged" => $"g.status = '{nameof(GrantStatus.Flagged)}'",
        "approved" => $"g.status = '{nameof(GrantStatus.Approved)}'",
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "approved, flagged or none"),
    };

    public const string HasDecision = "EXISTS (SELECT 1 FROM reviews r WHERE r.grant_id = g.id)";

    private static ReviewHistory History(List<Row> rows)
    {
        var decisions = rows.Select((row, index) => new ReviewView(row.Decision, row.Reviewer, row.DecidedAt, row.Notes, row.EvidenceSha256,
            index > 0 ? rows[index - 1].Decision : null)).ToList();
        return new ReviewHistory(decisions[^1], decisions);
    }
}
