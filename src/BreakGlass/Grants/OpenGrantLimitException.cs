using BreakGlass.Errors;

namespace BreakGlass.Grants;

/// <summary>The requester already holds <c>Policy:MaxOpenGrantsPerRequester</c> open grants on the role; nothing was written.</summary>
internal sealed class OpenGrantLimitException(string detail) : DomainException("Too many open grants on this role", detail)
{
    public override int StatusCode => StatusCodes.Status409Conflict;
}
