using Dapper;
using Npgsql;

namespace BreakGlass.Audit;

internal sealed record BrokenLink(long Sequence, string Problem);

internal sealed record ChainVerification(bool Ok, long Checked, string? LastHash, BrokenLink? FirstBrokenLink);

/// <summary>Walks the whole audit chain and recomputes every hash: any altered, removed or inserted row breaks it.</summary>
internal sealed class AuditChainVerifier(NpgsqlDataSource database)
{
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One consistent snapshot, streamed: the chain may be long and appends go on meanwhile.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        var rows = connection.QueryUnbufferedAsync<AuditEvent>(
            """
            SELECT sequence, occurred_at AS OccurredAt, grant_id AS GrantId, event_type AS EventType, actor, data,
                   previous_hash AS PreviousHash, hash
            FROM audit_events ORDER BY sequence
            """, transaction: transaction);
        var expectedSequence = 1L;
        var previousHash = AuditHash.Genesis;
        var checkedCount = 0L;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            var problem = row.Sequence != expectedSequence
                ? $"expected event {expectedSequence} but found {row.Sequence}: events are missing"
                : row.PreviousHash != previousHash
                    ? "its previous_hash does not match the hash of the event before it"
                    : AuditHash.Compute(row.Sequence, row.OccurredAt, row.GrantId, row.EventType, row.Actor, row.Data, row.PreviousHash) != row.Hash
                        ? "its content does not match its hash: the event was altered"
                        : null;
            if (problem is not null)
            {
                return new ChainVerification(false, checkedCount, previousHash, new BrokenLink(row.Sequence, problem));
            }
            checkedCount++;
            expectedSequence++;
            previousHash = row.Hash;
        }
        return new ChainVerification(true, checkedCount, checkedCount == 0 ? null : previousHash, null);
    }
}
