using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace BreakGlass.Errors;

internal static partial class ProblemSetup
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure on {Path}")]
    private static partial void LogUnhandledFailure(ILogger logger, Exception failure, PathString path);

    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<DomainExceptionHandler>();
        return services;
    }

    /// <summary>
    /// Where the body's JSON broke, counted from 1 as editors do, and what the reader expected there. The reader's own
    /// message echoes at most one character of the input; its .NET type names are replaced by the field's path.
    /// </summary>
    internal static string WhereJsonBroke(System.Text.Json.JsonException json)
    {
        var where = json.LineNumber is { } line && json.BytePositionInLine is { } position
            ? $" at line {line + 1}, position {position + 1}"
            : "";
        var field = json.Path is { Length: > 1 } path ? $" (field {path})" : "";
        var reason = json.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].Trim();
        if (reason.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)) reason = "the value has the wrong type for this field.";
        return $"The request body is not valid JSON{where}{field}: {reason} Fix it there and send the request again.";
    }

    private sealed class DomainExceptionHandler(IProblemDetailsService problems, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            var (status, title, detail) = exception switch
            {
                DomainException domain => (domain.StatusCode, domain.Title, domain.Message),
                BadHttpRequestException { InnerException: System.Text.Json.JsonException json } bad => (bad.StatusCode, "Malformed JSON", WhereJsonBroke(json)),
                BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message),
                // Storage down: nothing was committed, so nothing was issued; the client may retry with its Idempotency-Key.
                NpgsqlException or Hangfire.BackgroundJobClientException or System.Transactions.TransactionException =>
                    (StatusCodes.Status503ServiceUnavailable, "Storage unavailable", "BreakGlass could not record the request, so nothing was issued. Retry shortly."),
                _ => (StatusCodes.Status500InternalServerError, "Internal error", "BreakGlass failed unexpectedly; the trace id identifies the failure in the logs."),
            };
            if (status >= 500 && exception is not DomainException)
            {
                LogUnhandledFailure(logger, exception, httpContext.Request.Path);
            }
            httpContext.Response.StatusCode = status;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = status, Title = title, Detail = detail },
            });
        }
    }
}
