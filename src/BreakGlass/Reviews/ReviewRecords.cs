using BreakGlass.Audit;
using Dapper;
using Npgsql;

namespace BreakGlass.Reviews;

internal static class ReviewRecords
{
    public static Task<ReviewView?> FindAsync(NpgsqlConnection connection, Guid grantId, NpgsqlTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<ReviewView>(
            """
            SELECT decision, reviewer, decided_at AS DecidedAt, notes, evidence_sha256 AS EvidenceSha256
            FROM reviews WHERE grant_id = @grantId
            """, new { grantId }, transaction);
}
