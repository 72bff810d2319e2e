namespace BreakGlass.Errors;

/// <summary>
/// Declares in the OpenAPI document the problem responses the exception handler can give, so a client sees the
/// contract: handlers throw domain exceptions (<see cref="DomainException"/>) instead of returning them.
/// </summary>
internal static class ProblemResponses
{
    /// <summary>
    /// What every authorised route can answer: no valid token (401), not the role (403), storage unavailable (503,
    /// nothing was recorded).
    /// </summary>
    public static TBuilder ProducesAuthorisedProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status503ServiceUnavailable);

    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var statusCode in statusCodes) builder.ProducesProblem(statusCode);
        return builder;
    }
}
