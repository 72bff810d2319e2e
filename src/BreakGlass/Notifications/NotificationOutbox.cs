using BreakGlass.Observability;
using BreakGlass.Tickets;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Notifications;

/// <summary>
/// The one owner of <c>notification_outbox</c>: rows are queued in the caller's transaction (one per channel that
/// takes the type) and claimed one at a time by the delivery loop, so each channel gets each notification once.
/// </summary>
internal sealed class NotificationOutbox(NotificationChannels channels, IOptions<PublicUrlOptions> publicUrl, TimeProvider time)
{
    public bool IsRouting => channels.All.Count > 0;

    /// <returns>How many channels it was queued for (0 when none takes it, or it was queued before).</returns>
    public async Task<int> EnqueueAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, NotificationDraft draft, DateTimeOffset occurredAt)
    {
        var routes = channels.All.Where(channel => channel.Takes(draft.Type)).Select(channel => channel.Id).ToArray();
        if (routes.Length == 0) return 0;
        var payload = new NotificationPayload(Guid.CreateVersion7(), draft.Type, draft.Severity, occurredAt, draft.Title, draft.Text, draft.GrantId,
            draft.GrantId is { } grantId ? publicUrl.Value.GrantPageUrl(grantId) : null,
            System.Text.Json.JsonSerializer.SerializeToElement(draft.Data, NotificationPayload.Json));
        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var channel in routes)
        {
            queued += await connection.ExecuteAsync(
                """
                INSERT INTO notification_outbox (id, notification_id, type, dedupe_key, channel, grant_id, payload, next_attempt_at, created_at)
                VALUES (@id, @notificationId, @Type, @DedupeKey, @channel, @GrantId, CAST(@payload AS jsonb), @now, @now)
                ON CONFLICT (dedupe_key, channel) DO NOTHING
                """,
                new { id = Guid.NewGuid(), notificationId = payload.Id, draft.Type, draft.DedupeKey, channel, draft.GrantId, payload = payload.ToJson(), now },
                transaction);
        }
        return queued;
    }

    /// <summary>Locks the oldest due row of a configured channel for the caller's transaction; rows other instances hold are skipped.</summary>
    /// <summary>The notifications not delivered (nor given up on) yet: the outbox's backlog gauges.</summary>
    public static async Task<OutboxBacklog> BacklogAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var (pending, oldest) = await connection.QuerySingleAsync<(long, DateTimeOffset?)>(new CommandDefinition(
            "SELECT count(*), min(created_at) FROM notification_outbox WHERE status = 'pending'", cancellationToken: cancellationToken));
        return new OutboxBacklog(pending, oldest);
    }

    public Task<OutboxEntry?> ClaimNextAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<OutboxEntry?>(new CommandDefinition(
            """
            SELECT id, notification_id AS NotificationId, type, channel, payload::text AS Payload, attempts, created_at AS CreatedAt
            FROM notification_outbox
            WHERE status = 'pending' AND next_attempt_at <= @now AND channel = ANY(@channels)
            ORDER BY next_attempt_at, seq
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """,
            new { now = time.GetUtcNow(), channels = channels.Ids.ToArray() }, transaction, cancellationToken: cancellationToken));

    public Task MarkDeliveredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEntry entry) =>
        connection.ExecuteAsync(
            "UPDATE notification_outbox SET status = 'delivered', attempts = attempts + 1, last_error = NULL, finished_at = @now WHERE id = @Id",
            new { entry.Id, now = time.GetUtcNow() }, transaction);

    public Task MarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEntry entry, string error) =>
        connection.ExecuteAsync(
            "UPDATE notification_outbox SET status = 'failed', attempts = attempts + 1, last_error = @error, finished_at = @now WHERE id = @Id",
            new { entry.Id, error, now = time.GetUtcNow() }, transaction);

    public Task ScheduleRetryAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEntry entry, DateTimeOffset nextAttemptAt, string error) =>
        connection.ExecuteAsync(
            "UPDATE notification_outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @nextAttemptAt WHERE id = @Id",
            new { entry.Id, error, nextAttemptAt }, transaction);

    /// <summary>A channel that said "not before" (HTTP 429) gets nothing from any instance until then.</summary>
    public Task HoldChannelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string channel, DateTimeOffset until) =>
        connection.ExecuteAsync(
            "UPDATE notification_outbox SET next_attempt_at = @until WHERE channel = @channel AND status = 'pending' AND next_attempt_at < @until",
            new { channel, until }, transaction);

    /// <summary>Rows for a channel the configuration no longer has can never go anywhere: recorded as failed, not left to age.</summary>
    public async Task<int> FailUnroutableAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notification_outbox SET status = 'failed', last_error = 'the channel is no longer configured', finished_at = @now
            WHERE status = 'pending' AND channel <> ALL(@channels)
            """,
            new { channels = channels.Ids.ToArray(), now = time.GetUtcNow() }, cancellationToken: cancellationToken));
}
