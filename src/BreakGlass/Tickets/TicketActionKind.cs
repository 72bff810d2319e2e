namespace BreakGlass.Tickets;

/// <summary>The kinds of side effect on Linear the outbox carries out, as stored in <c>ticket_actions.kind</c>.</summary>
internal static class TicketActionKind
{
    public const string FileIssue = "file_issue";
    public const string LinkIssue = "link_issue";
    public const string Attachment = "attachment";
    public const string Comment = "comment";
}

/// <summary><c>tickets.status</c>: the API shows these values as they are.</summary>
internal static class TicketStatus
{
    public const string Pending = "pending";
    public const string Filed = "filed";
    public const string Linked = "linked";
}
