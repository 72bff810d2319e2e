using BreakGlass.Errors;

namespace BreakGlass.Tickets;

/// <summary>Linear answered that the ticket the engineer named does not exist: the request is refused before anything is issued.</summary>
internal sealed class TicketNotFoundException(string identifier)
    : DomainException("Ticket not found in Linear",
        $"Linear has no issue {identifier} that BreakGlass can see. Name an existing issue (e.g. OPS-123 or its Linear URL), or leave 'ticket' out and BreakGlass files one.")
{
    public override int StatusCode => StatusCodes.Status422UnprocessableEntity;
}
