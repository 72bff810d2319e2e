using BreakGlass.Jobs;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Notifications;

/// <summary>
/// Delivers what is due, in every instance. Each row is claimed (<c>FOR UPDATE SKIP LOCKED</c>) for the one attempt and
/// its outcome commits with the claim, so no two instances send it and a crash before the commit leaves it pending.
/// </summary>
internal sealed class NotificationSweeper(
    NpgsqlDataSource database,
    NotificationOutbox outbox,
    NotificationChannels channels,
    IOptions<NotificationsOptions> options,
    TimeProvider time,
    ILogger<NotificationSweeper> logger) : Sweeper(time, logger)
{
    private const int DeliveriesPerPass = 200;
    private bool _failedUnroutable;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);

    protected override bool IsEnabled => outbox.IsRouting;

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        if (!_failedUnroutable)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var unroutable = await outbox.FailUnroutableAsync(connection, cancellationToken);
            if (unroutable > 0) NotificationsLog.Unroutable(Logger, unroutable);
            _failedUnroutable = true;
        }
        for (var delivered = 0; delivered < DeliveriesPerPass && !cancellationToken.IsCancellationRequested; delivered++)
        {
            if (!await DeliverNextAsync(cancellationToken)) return;
        }
    }

    /// <returns>False when nothing was due.</returns>
    public async Task<bool> DeliverNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await outbox.ClaimNextAsync(connection, transaction, cancellationToken) is not { } entry) return false;
        var channel = channels.Find(entry.Channel)!;
        DeliveryOutcome outcome;
        // Its own timeout only: a shutdown must not cut off a post Slack may already have taken, or it would be sent twice.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds), Time))
        {
            try
            {
                outcome = await channel.DeliverAsync(entry, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                outcome = DeliveryOutcome.Retry($"no answer within {options.Value.RequestTimeoutSeconds} s");
            }
            // Not the host's to stop: a fault in one notification is retried with backoff, then given up, like an outage.
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                outcome = DeliveryOutcome.Retry($"{failure.GetType().Name}: {failure.Message}");
            }
        }
        await RecordAsync(connection, transaction, entry, outcome);
        await transaction.CommitAsync(CancellationToken.None);
        return true;
    }

    private async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxEntry entry, DeliveryOutcome outcome)
    {
        var attempts = entry.Attempts + 1;
        var now = Time.GetUtcNow();
        switch (outcome.Result)
        {
            case DeliveryResult.Delivered:
                await outbox.MarkDeliveredAsync(connection, transaction, entry);
                NotificationsLog.Delivered(Logger, entry.NotificationId, entry.Type, entry.Channel);
                return;
            case DeliveryResult.Retry when now - entry.CreatedAt < TimeSpan.FromHours(options.Value.GiveUpAfterHours):
                var next = NotificationRetry.NextAttemptAt(now, attempts, outcome.RetryAfter);
                await outbox.ScheduleRetryAsync(connection, transaction, entry, next, outcome.Error!);
                if (outcome.RetryAfter is not null) await outbox.HoldChannelAsync(connection, transaction, entry.Channel, next);
                NotificationsLog.WillRetry(Logger, entry.NotificationId, entry.Type, entry.Channel, attempts, next, outcome.Error!);
                return;
            default:
                var error = outcome.Result == DeliveryResult.Retry ? $"still failing after {options.Value.GiveUpAfterHours} h: {outcome.Error}" : outcome.Error!;
                await outbox.MarkFailedAsync(connection, transaction, entry, error);
                NotificationsLog.GaveUp(Logger, entry.NotificationId, entry.Type, entry.Channel, attempts, error);
                return;
        }
    }
}
