namespace BreakGlass.Tickets;

/// <summary>Audit event types for ticket state changes (the grant's own events are in <c>GrantAuditEvents</c> and <c>RevocationAuditEvents</c>).</summary>
internal static class TicketAuditEvents
{
    public const string Filed = "ticket.filed";
    public const string Linked = "ticket.linked";

    /// <summary>The named ticket turned out not to exist after the grant was issued: a new issue is filed instead.</summary>
    public const string ReferenceNotFound = "ticket.reference_not_found";
}
