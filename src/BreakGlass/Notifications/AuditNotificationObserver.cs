using BreakGlass.Audit;
using BreakGlass.Grants;
using BreakGlass.Tickets;
using Npgsql;

namespace BreakGlass.Notifications;

/// <summary>Queues the notification an audit event causes, in the event's own transaction.</summary>
internal sealed class AuditNotificationObserver(NotificationOutbox outbox) : IAuditEventObserver
{
    public async Task OnAppendedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditEvent appended)
    {
        if (!outbox.IsRouting || !AuditNotifications.Concerns(appended.EventType)) return;
        Grant? grant = null;
        TicketView? ticket = null;
        var drill = false;
        if (appended.GrantId is { } grantId)
        {
            grant = await GrantStore.FindAsync(connection, grantId, transaction);
            ticket = await TicketViews.FindAsync(connection, transaction, grantId);
            drill = await GrantStore.IsDrillAsync(connection, grantId, transaction);
        }
        if (AuditNotifications.Map(appended, grant, ticket, drill) is { } draft)
        {
            await outbox.EnqueueAsync(connection, transaction, draft, appended.OccurredAt);
        }
    }
}
