using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>
/// Comments on a grant's ticket, committed in the caller's transaction. The ticket outbox
/// (<c>Tickets/TicketOutbox.EnqueueCommentAsync</c>) has exactly this shape.
/// </summary>
internal interface IGrantTicketComments
{
    /// <returns>False when a comment with this key was queued before, or the grant has no ticket.</returns>
    Task<bool> EnqueueCommentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId, string dedupeKey, string markdown);
}
