namespace BreakGlass.Notifications;

/// <summary>One notification claimed for one channel: <paramref name="Id"/> is its idempotency id there.</summary>
internal sealed record OutboxEntry(Guid Id, Guid NotificationId, string Type, string Channel, string Payload, int Attempts, DateTimeOffset CreatedAt);
