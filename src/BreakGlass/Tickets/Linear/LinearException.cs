namespace BreakGlass.Tickets.Linear;

internal enum LinearErrorKind
{
    /// <summary>Linear answered that the issue, comment, team or label does not exist.</summary>
    NotFound,

    /// <summary>Over Linear's rate limit; <see cref="LinearException.RetryAfter"/> says when to come back if Linear said.</summary>
    RateLimited,

    /// <summary>The API key is missing, wrong or revoked: a configuration problem, retrying will not help.</summary>
    Authentication,

    /// <summary>The key may not do this (scope, team access, plan): a configuration problem.</summary>
    Forbidden,

    /// <summary>Linear refused the request itself; the same request will be refused again.</summary>
    InvalidInput,

    /// <summary>Network failure, timeout, 5xx or a Linear-side hiccup: the same request may succeed later.</summary>
    Transient,
}

/// <summary>A failed Linear call, classified so the caller can decide when (and whether) to try again.</summary>
internal sealed class LinearException(LinearErrorKind kind, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public LinearErrorKind Kind { get; } = kind;

    /// <summary>From <c>Retry-After</c> or Linear's <c>X-RateLimit-*-Reset</c> headers.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>Linear's <c>extensions.code</c> (for example <c>RATELIMITED</c>, <c>INPUT_ERROR</c>).</summary>
    public string? Code { get; init; }

    public bool IsConfigurationProblem => Kind is LinearErrorKind.Authentication or LinearErrorKind.Forbidden;
}
