using System.Text.Json;
using BreakGlass.Storage;
using Dapper;
using Npgsql;

namespace BreakGlass.Audit;

/// <summary>Appends events to the hash chain inside the caller's transaction, so a state change and its audit event commit together.</summary>
internal sealed class AuditLog(TimeProvider time, IEnumerable<IAuditEventObserver> observers)
{
    public async Task<AuditEvent> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        Guid? grantId,
        string eventType,
        string actor,
        IReadOnlyDictionary<string, object?> data) =>
        (await AppendAllAsync(connection, transaction, [new NewAuditEvent(grantId, eventType, actor, data)]))[0];

    /// <summary>
    /// Appends <paramref name="events"/> in order, in one statement and under one hold of the chain's lock: for writing
    /// many at once (the register benchmark's year of grants). Each event's hash covers the one before, as one by one.
    /// </summary>
    public async Task<IReadOnlyList<AuditEvent>> AppendAllAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<NewAuditEvent> events)
    {
        await AdvisoryLocks.AuditChain.TakeForTransactionAsync(connection, transaction);
        var last = await HeadAsync(connection, transaction);
        var sequence = last?.Sequence ?? 0;
        var previousHash = last?.Hash ?? AuditHash.Genesis;
        var occurredAt = AuditHash.ToStoredPrecision(time.GetUtcNow());
        var appended = new List<AuditEvent>(events.Count);
        foreach (var (grantId, eventType, actor, data) in events)
        {
            sequence++;
            var canonicalData = CanonicalJson.ToText(JsonSerializer.SerializeToElement(data));
            var hash = AuditHash.Compute(sequence, occurredAt, grantId, eventType, actor, canonicalData, previousHash);
            appended.Add(new AuditEvent(sequence, occurredAt, grantId, eventType, actor, canonicalData, previousHash, hash));
            previousHash = hash;
        }
        await connection.ExecuteAsync(
            """
            INSERT INTO audit_events (sequence, occurred_at, grant_id, event_type, actor, data, previous_hash, hash)
            SELECT * FROM unnest(@sequences, @occurredAt, @grantIds, @eventTypes, @actors, @data, @previousHashes, @hashes)
            """,
            new
            {
                sequences = appended.Select(e => e.Sequence).ToArray(),
                occurredAt = appended.Select(e => e.OccurredAt).ToArray(),
                grantIds = appended.Select(e => e.GrantId).ToArray(),
                eventTypes = appended.Select(e => e.EventType).ToArray(),
                actors = appended.Select(e => e.Actor).ToArray(),
                data = appended.Select(e => e.Data).ToArray(),
                previousHashes = appended.Select(e => e.PreviousHash).ToArray(),
                hashes = appended.Select(e => e.Hash).ToArray(),
            },
            transaction);
        foreach (var observer in observers)
        {
            foreach (var audited in appended) await observer.OnAppendedAsync(connection, transaction, audited);
        }
        return appended;
    }

    /// <returns>The newest event's sequence and hash; null while the chain is empty.</returns>
    public static async Task<ChainHead?> HeadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        var head = await connection.QuerySingleOrDefaultAsync<(long Sequence, string Hash)?>(
            "SELECT sequence, hash FROM audit_events ORDER BY sequence DESC LIMIT 1", transaction: transaction);
        return head is { } found ? new ChainHead(found.Sequence, found.Hash) : null;
    }

    /// <summary>When the grant last had one of <paramref name="eventTypes"/>; null if never.</summary>
    public static Task<DateTimeOffset?> LastOccurredAtAsync(NpgsqlConnection connection, Guid grantId, params string[] eventTypes) =>
        connection.ExecuteScalarAsync<DateTimeOffset?>(
            "SELECT max(occurred_at) FROM audit_events WHERE grant_id = @grantId AND event_type = ANY(@eventTypes)", new { grantId, eventTypes });

    /// <summary>The newest event of <paramref name="eventType"/> that concerns no grant (a role or the whole service), or null.</summary>
    public static Task<AuditEvent?> LatestServiceEventAsync(NpgsqlConnection connection, string eventType, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<AuditEvent?>(new CommandDefinition(
            """
            SELECT sequence, occurred_at AS OccurredAt, grant_id AS GrantId, event_type AS EventType, actor, data,
                   previous_hash AS PreviousHash, hash
            FROM audit_events WHERE grant_id IS NULL AND event_type = @eventType ORDER BY sequence DESC LIMIT 1
            """,
            new { eventType }, cancellationToken: cancellationToken));
}
