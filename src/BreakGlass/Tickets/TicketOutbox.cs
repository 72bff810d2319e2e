using BreakGlass.Observability;
using Dapper;
using Npgsql;

namespace BreakGlass.Tickets;

/// <param name="NotBefore">When the sweeper may first take the action (null: at once).</param>
internal sealed record TicketAction(Guid GrantId, string Kind, string DedupeKey, string? Body, DateTimeOffset? NotBefore = null);

/// <summary>
/// The one way to change anything on a grant's Linear ticket: an action row written in the caller's
/// transaction, so it commits (or rolls back) with the state change it reports. The sweeper and the
/// per-grant job carry actions out in order, exactly once, after the issue is filed or linked.
/// </summary>
internal sealed class TicketOutbox(TimeProvider time)
{
    /// <summary>Dedupe keys of the lifecycle comments BreakGlass itself posts.</summary>
    public static class Keys
    {
        /// <summary>The ticket's one file or link action.</summary>
        public const string Issue = "issue";
        public const string AccessGranted = "access-granted";
        public const string IssueFailed = "issue-failed";
        public const string Ended = "ended";
        public const string RevocationFailing = "revocation-failing";
        public const string GrantLink = "grant-link";

        public static string Reissued(string accessKeyId) => $"credentials:{accessKeyId}";

        /// <summary>One comment per repaired drift, keyed by the audit event that recorded it.</summary>
        public static string DenyDrift(long auditSequence) => $"deny-drift:{auditSequence}";
    }

    /// <summary>
    /// Queues <paramref name="markdown"/> as a comment on the grant's ticket. The comment is posted once per
    /// (<paramref name="grantId"/>, <paramref name="dedupeKey"/>) however often this is called; it waits until the
    /// issue is filed or linked. Returns false when it was queued before, or when the grant has no ticket.
    /// </summary>
    public Task<bool> EnqueueCommentAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId, string dedupeKey, string markdown) =>
        EnqueueAsync(connection, transaction, grantId, TicketActionKind.Comment, dedupeKey, markdown);

    /// <summary>The actions not carried out yet: the outbox's backlog gauges.</summary>
    public static async Task<OutboxBacklog> BacklogAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (pending, oldest) = await connection.QuerySingleAsync<(long, DateTimeOffset?)>(new CommandDefinition(
            "SELECT count(*), min(created_at) FROM ticket_actions WHERE status <> 'done'", cancellationToken: cancellationToken));
        return new OutboxBacklog(pending, oldest);
    }

    /// <summary>Queues many actions in one statement, each once per (grant, kind, dedupe key), on grants that have a ticket.</summary>
    internal Task EnqueueAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<TicketAction> actions)
    {
        var now = time.GetUtcNow();
        return connection.ExecuteAsync(
            """
            INSERT INTO ticket_actions (id, grant_id, kind, dedupe_key, body, next_attempt_at, created_at)
            SELECT a.id, a.grant_id, a.kind, a.dedupe_key, a.body, a.next_attempt_at, @now
            FROM unnest(@ids, @grantIds, @kinds, @dedupeKeys, @bodies, @nextAttemptAt) AS a (id, grant_id, kind, dedupe_key, body, next_attempt_at)
            WHERE EXISTS (SELECT 1 FROM tickets t WHERE t.grant_id = a.grant_id)
            ON CONFLICT (grant_id, kind, dedupe_key) DO NOTHING
            """,
            new
            {
                ids = actions.Select(_ => Guid.NewGuid()).ToArray(), grantIds = actions.Select(action => action.GrantId).ToArray(),
                kinds = actions.Select(action => action.Kind).ToArray(), dedupeKeys = actions.Select(action => action.DedupeKey).ToArray(),
                bodies = actions.Select(action => action.Body).ToArray(), nextAttemptAt = actions.Select(action => action.NotBefore ?? now).ToArray(), now,
            },
            transaction);
    }

    /// <param name="notBefore">When the sweeper may first take the action (default: at once).</param>
    internal async Task<bool> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId, string kind, string dedupeKey, string? body,
        DateTimeOffset? notBefore = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dedupeKey);
        var now = time.GetUtcNow();
        var nextAttemptAt = notBefore ?? now;
        // Linear takes client-chosen ids only as UUID v4; the id doubles as the comment's id in Linear.
        var rows = await connection.ExecuteAsync(
            """
            INSERT INTO ticket_actions (id, grant_id, kind, dedupe_key, body, next_attempt_at, created_at)
            SELECT @id, @grantId, @kind, @dedupeKey, @body, @nextAttemptAt, @now
            WHERE EXISTS (SELECT 1 FROM tickets WHERE grant_id = @grantId)
            ON CONFLICT (grant_id, kind, dedupe_key) DO NOTHING
            """,
            new { id = Guid.NewGuid(), grantId, kind, dedupeKey, body, nextAttemptAt, now },
            transaction);
        return rows == 1;
    }
}
