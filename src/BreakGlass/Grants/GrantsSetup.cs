using System.Threading.RateLimiting;
using BreakGlass.Auth;
using BreakGlass.Observability;
using Microsoft.AspNetCore.RateLimiting;

namespace BreakGlass.Grants;

internal static class GrantsSetup
{
    public static IServiceCollection AddGrants(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<GrantIssuer>();
        services.AddSingleton<GrantViews>();
        services.AddSingleton<GrantEnding>();
        services.AddGaugeSource<GrantGauges>();

        var perMinute = configuration.GetValue("RateLimits:GrantRequestsPerMinute", 10);
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(GrantsApi.GrantRequestsRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity?.IsAuthenticated == true ? context.User.UserName() : "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }
}
