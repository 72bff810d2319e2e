using Dapper;
using Npgsql;

namespace BreakGlass.Audit;

internal sealed record BrokenLink(long Sequence, string Problem);

/// <summary>How a head kept outside the database compares with the chain today.</summary>
internal sealed record AnchorCheck(long Sequence, string Hash, string Status, string Detail)
{
    public const string Matches = "matches";
    public const string Differs = "differs";
    public const string Missing = "missing";
    public const string Unchecked = "unchecked";
}

internal sealed record ChainVerification(bool Ok, long Checked, string? LastHash, ChainHead? Head, BrokenLink? FirstBrokenLink, AnchorCheck? Anchor);

/// <summary>
/// Walks the whole audit chain and recomputes every hash: any altered, removed or inserted row breaks it. Removing
/// the newest rows leaves an intact, shorter chain; a head kept from earlier (<paramref name="kept"/>) shows that.
/// </summary>
internal sealed class AuditChainVerifier(NpgsqlDataSource database)
{
    public async Task<ChainVerification> VerifyAsync(ChainHead? kept, CancellationToken cancellationToken)
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
        AnchorCheck? anchor = null;
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
                var broken = kept is null || anchor is not null
                    ? anchor
                    : new AnchorCheck(kept.Sequence, kept.Hash, AnchorCheck.Unchecked, $"the chain breaks at event {row.Sequence}, before the kept head could be reached");
                return Result(false, checkedCount, previousHash, new BrokenLink(row.Sequence, problem), broken);
            }
            if (kept is not null && row.Sequence == kept.Sequence)
            {
                anchor = string.Equals(row.Hash, kept.Hash, StringComparison.OrdinalIgnoreCase)
                    ? new AnchorCheck(kept.Sequence, kept.Hash, AnchorCheck.Matches, $"event {kept.Sequence} is in the chain with this hash")
                    : new AnchorCheck(kept.Sequence, kept.Hash, AnchorCheck.Differs, $"event {kept.Sequence} now has hash {row.Hash}: the chain was rewritten from there on");
            }
            checkedCount++;
            expectedSequence++;
            previousHash = row.Hash;
        }
        if (kept is not null && anchor is null)
        {
            anchor = new AnchorCheck(kept.Sequence, kept.Hash, AnchorCheck.Missing,
                $"the chain ends at event {checkedCount}: event {kept.Sequence} and any after it were removed");
        }
        return Result(anchor is null or { Status: AnchorCheck.Matches }, checkedCount, previousHash, null, anchor);
    }

    private static ChainVerification Result(bool ok, long checkedCount, string previousHash, BrokenLink? broken, AnchorCheck? anchor) =>
        new(ok, checkedCount,
            checkedCount == 0 ? null : previousHash,
            checkedCount == 0 ? null : new ChainHead(checkedCount, previousHash),
            broken, anchor);
}
