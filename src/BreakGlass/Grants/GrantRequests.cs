using BreakGlass.Errors;
using BreakGlass.Tickets;
using BreakGlass.Tickets.Linear;

namespace BreakGlass.Grants;

internal sealed record CreateGrantRequest(string? Role, int? DurationMinutes, string? Reason, string? Ticket)
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 2000;

    /// <summary>The request's shape; the policy (role exists, caller eligible, role's maximum) is checked by <c>Eligibility</c>.</summary>
    /// <param name="headerProblem">What is wrong with the request's headers, reported together with the body's problems.</param>
    public ValidCreateGrantRequest Validate(string? headerProblem = null)
    {
        var problems = new List<string>();
        if (headerProblem is not null) problems.Add(headerProblem);
        if (string.IsNullOrWhiteSpace(Role) || Role.Length > 64) problems.Add("'role' is required (a name from GET /api/roles).");
        if (DurationMinutes is null or < 1) problems.Add("'durationMinutes' is required and must be at least 1.");
        var reason = Reason?.Trim() ?? "";
        if (reason.Length is < MinReasonLength or > MaxReasonLength)
            problems.Add($"'reason' is required: {MinReasonLength}-{MaxReasonLength} characters saying why you need access.");
        if (Ticket is { Length: > 300 }) problems.Add("'ticket' is too long: give an identifier like OPS-123 or the issue's URL.");
        else if (!string.IsNullOrWhiteSpace(Ticket) && !LinearIssueReference.TryParse(Ticket, out _))
            problems.Add(TicketRequests.InvalidReference);
        if (problems.Count > 0) throw new InvalidRequestException(string.Join(" ", problems));
        return new ValidCreateGrantRequest(Role!.Trim(), DurationMinutes!.Value, reason, string.IsNullOrWhiteSpace(Ticket) ? null : Ticket.Trim());
    }
}

internal sealed record ValidCreateGrantRequest(string Role, int DurationMinutes, string Reason, string? Ticket);

/// <summary>A drill's grant request: made by BreakGlass itself as <paramref name="Actor"/>, for the drill <paramref name="DrillId"/>.</summary>
internal sealed record DrillGrantRequest(Guid DrillId, string Actor, ValidCreateGrantRequest Request, bool FileTicket);

internal sealed record RevokeGrantRequest(string? Reason)
{
    public string ValidReason()
    {
        var reason = Reason?.Trim() ?? "";
        return reason.Length is >= 3 and <= 2000
            ? reason
            : throw new InvalidRequestException("'reason' is required: 3-2000 characters saying why the grant ends early.");
    }
}
