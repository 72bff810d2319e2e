using Npgsql;

namespace BreakGlass.Audit;

/// <summary>
/// Told of every appended event inside the transaction that appends it, so whatever an observer writes (an outbox row)
/// commits or rolls back with the event. Lets other features react to the record without Audit knowing them.
/// </summary>
internal interface IAuditEventObserver
{
    Task OnAppendedAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, AuditEvent appended);
}
