using System.Threading.RateLimiting;
using BreakGlass.Auth;
using BreakGlass.Audit;
using BreakGlass.Policy;
using BreakGlass.Revocation;
using Microsoft.AspNetCore.RateLimiting;

namespace BreakGlass.Grants;

internal static class GrantsSetup
{
    public static IServiceCollection AddGrants(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditChainVerifier>();
        services.AddSingleton<ExceptionRegister>();
        services.AddSingleton<GrantChains>();
        services.AddSingleton<Eligibility>();
        services.AddSingleton<GrantIssuer>();
        services.AddSingleton<GrantViews>();
        services.AddOptions<RevocationOptions>().Bind(configuration.GetSection(RevocationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<RoleRevokeAll>();
        services.AddTransient<RevokeGrantJob>();
        services.AddSingleton<RevocationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<RevocationSweeper>());

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
