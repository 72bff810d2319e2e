using Microsoft.AspNetCore.Routing.Patterns;

namespace BreakGlass.Observability;

/// <summary>A request about one grant (<c>grants/{id}</c>, <c>{grantId}</c> routes) names it on its span and in the log scope.</summary>
internal static class GrantRequestTelemetry
{
    public static IApplicationBuilder UseGrantTelemetry(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrantRequestTelemetry));
        return app.Use(async (context, next) =>
        {
            if (GrantIdOf(context) is not { } grantId)
            {
                await next(context);
                return;
            }
            using (Telemetry.ForGrant(logger, grantId))
            {
                await next(context);
            }
        });
    }

    private static Guid? GrantIdOf(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern: var pattern }) return null;
        var parameter = pattern.GetParameter("grantId") is not null ? "grantId"
            : pattern.GetParameter("id") is not null && IsGrantPattern(pattern) ? "id"
            : null;
        return parameter is not null && Guid.TryParse(context.Request.RouteValues[parameter]?.ToString(), out var grantId) ? grantId : null;
    }

    private static bool IsGrantPattern(RoutePattern pattern) =>
        pattern.RawText?.Contains("grants/{id", StringComparison.OrdinalIgnoreCase) == true;
}
