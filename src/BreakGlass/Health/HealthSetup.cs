using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BreakGlass.Health;

internal static class HealthSetup
{
    private const string Ready = "ready";

    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddNpgSql(provider => provider.GetRequiredService<NpgsqlDataSource>(), name: "database", tags: [Ready])
            .AddCheck<JobStorageHealthCheck>("job-storage", tags: [Ready]);
        return services;
    }

    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(Ready) }).AllowAnonymous();
    }

    private sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var servers = storage.GetMonitoringApi().Servers().Count;
                return Task.FromResult(servers > 0
                    ? HealthCheckResult.Healthy($"{servers} job server(s)")
                    : HealthCheckResult.Degraded("no Hangfire server is running: revocations would wait for the sweeper"));
            }
            catch (Exception failure)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("job storage unreachable", failure));
            }
        }
    }
}
