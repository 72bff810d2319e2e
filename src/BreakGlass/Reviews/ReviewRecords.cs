using Dapper;
using Npgsql;

namespace BreakGlass.Reviews;

internal sealed record ReviewView(string Decision, string Reviewer, DateTimeOffset DecidedAt, string? Notes, string EvidenceSha256);

internal static class ReviewRecords
{
    private const string Columns = "grant_id AS GrantId, decision, reviewer, decided_at AS DecidedAt, notes, evidence_sha256 AS EvidenceSha256";

    private sealed record Row(Guid GrantId, string Decision, string Reviewer, DateTimeOffset DecidedAt, string? Notes, string EvidenceSha256)
    {
        public ReviewView View => new(Decision, Reviewer, DecidedAt, Notes, EvidenceSha256);
    }

    public static async Task<ReviewView?> FindAsync(NpgsqlConnection connection, Guid grantId, NpgsqlTransaction? transaction = null) =>
        (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM reviews WHERE grant_id = @grantId", new { grantId }, transaction))?.View;

    public static async Task<IReadOnlyDictionary<Guid, ReviewView>> FindAllAsync(NpgsqlConnection connection, Guid[] grantIds) =>
        (await connection.QueryAsync<Row>($"SELECT {Columns} FROM reviews WHERE grant_id = ANY(@grantIds)", new { grantIds }))
            .ToDictionary(row => row.GrantId, row => row.View);
}
