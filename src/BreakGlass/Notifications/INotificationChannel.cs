namespace BreakGlass.Notifications;

/// <summary>Somewhere notifications go. <see cref="Id"/> is stored on each outbox row, so it must stay stable across restarts.</summary>
internal interface INotificationChannel
{
    string Id { get; }

    bool Takes(string type);

    /// <summary>One attempt; never throws for what the channel answered (only for a cancellation).</summary>
    Task<DeliveryOutcome> DeliverAsync(OutboxEntry entry, CancellationToken cancellationToken);
}
