using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BreakGlass.Health;

internal static class HealthSetup
{
    /// <summary>The tag of the checks <c>/readyz</c> runs; a feature adds its own check with it.</summary>
    public const string Ready = "ready";

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
        app.MapHealthChecks("/readyz", new() { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteDetailAsync }).AllowAnonymous();
    }

    /// <summary>
    /// The overall status and each check's status and description, so an operator sees why BreakGlass is degraded (e.g.
    /// which roles failed preflight). <c>/readyz</c> is anonymous: an unhealthy check's description may be a library's
    /// exception text (hosts, user names), so only healthy and degraded ones, which are BreakGlass's own words, are shown.
    /// </summary>
    private static Task WriteDetailAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new
            {
                status = entry.Value.Status.ToString(),
                description = entry.Value.Status == HealthStatus.Unhealthy ? null : entry.Value.Description,
            }),
        });

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
