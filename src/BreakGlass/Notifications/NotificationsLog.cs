namespace BreakGlass.Notifications;

internal static partial class NotificationsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} ({Type}) delivered to {Channel}")]
    public static partial void Delivered(ILogger logger, Guid notificationId, string type, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} ({Type}) to {Channel} failed (attempt {Attempts}); next attempt at {NextAttemptAt:O}: {Error}")]
    public static partial void WillRetry(ILogger logger, Guid notificationId, string type, string channel, int attempts, DateTimeOffset nextAttemptAt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {NotificationId} ({Type}) to {Channel} given up after {Attempts} attempt(s): {Error}. Fix the channel's configuration; it is not retried")]
    public static partial void GaveUp(ILogger logger, Guid notificationId, string type, string channel, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} queued notification(s) were for channels no longer configured and are recorded as failed")]
    public static partial void Unroutable(ILogger logger, int count);
}
