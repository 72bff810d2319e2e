using BreakGlass.Tickets.Linear;

namespace BreakGlass.Tickets;

/// <summary>
/// What a grant request will do about its ticket, decided before the grant is committed: file a new issue
/// (<see cref="Identifier"/> null), link the named one (found already when <see cref="LinkedIssue"/> is set),
/// and why it is pending if Linear could not be asked.
/// </summary>
internal sealed record TicketPlan(
    string? Identifier,
    LinearIssue? LinkedIssue,
    string? PendingReason,
    DateTimeOffset BudgetEndsAt)
{
    /// <summary>When the background takes over what the request could not finish.</summary>
    public DateTimeOffset BackgroundStartsAt => BudgetEndsAt.AddSeconds(1);
}
