namespace BreakGlass.Errors;

/// <summary>A request BreakGlass understood and refuses; the exception handler turns each kind into its problem status.</summary>
internal abstract class DomainException(string title, string detail) : Exception(detail)
{
    public string Title { get; } = title;
    public abstract int StatusCode { get; }
}

internal sealed class NotFoundException(string detail) : DomainException("Not found", detail)
{
    public override int StatusCode => StatusCodes.Status404NotFound;
}

internal sealed class ConflictException(string detail) : DomainException("Conflict", detail)
{
    public override int StatusCode => StatusCodes.Status409Conflict;
}

internal sealed class PolicyDeniedException(string detail) : DomainException("Not allowed by the break-glass policy", detail)
{
    public override int StatusCode => StatusCodes.Status403Forbidden;
}

internal sealed class InvalidRequestException(string detail) : DomainException("Invalid request", detail)
{
    public override int StatusCode => StatusCodes.Status400BadRequest;
}

internal sealed class IdempotencyKeyReusedException(string detail) : DomainException("Idempotency-Key reused with a different request", detail)
{
    public override int StatusCode => StatusCodes.Status422UnprocessableEntity;
}

/// <summary>AWS (or another upstream) refused or failed; nothing was issued.</summary>
internal sealed class UpstreamException(string detail) : DomainException("Upstream service failed", detail)
{
    public override int StatusCode => StatusCodes.Status502BadGateway;
}

/// <summary>PostgreSQL failed at a point where the honest account of what happened is known to the caller.</summary>
internal sealed class StorageUnavailableException(string detail) : DomainException("Storage unavailable", detail)
{
    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;
}
