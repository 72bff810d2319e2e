using Hangfire;
using Hangfire.PostgreSql;
using BreakGlass.Observability;
using Npgsql;

namespace BreakGlass.Jobs;

internal static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseFilter(provider.GetRequiredService<JobTelemetryFilter>())
            .UsePostgreSqlStorage(
                bootstrap => bootstrap.UseConnectionFactory(new HangfireConnectionFactory(provider.GetRequiredService<NpgsqlDataSource>())),
                StorageOptions()));
        var workers = configuration.GetValue("Jobs:WorkerCount", Math.Max(4, Environment.ProcessorCount * 2));
        services.AddHangfireServer(server =>
        {
            // Scheduled revocations start within about a second of expiry instead of up to 15 s late.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            server.WorkerCount = workers;
        });
        return services;
    }

    /// <summary>Shared by the service and the tests that prove a rolled-back grant leaves no job.</summary>
    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = "hangfire",
        // The owner installs and upgrades the schema (Storage/DatabaseMigrator.cs): the service role may not create it.
        PrepareSchemaIfNecessary = false,
        EnableTransactionScopeEnlistment = true,
        // Wakes idle workers in every instance within milliseconds of a new job.
        EnableLongPolling = true,
        // A job of a killed instance comes back after this, not after the 30-minute default.
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(2),
        QueuePollInterval = TimeSpan.FromSeconds(1),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
        // No storage must mean no service: a revocation that cannot be scheduled is not a degradation to hide.
        AllowDegradedModeWithoutStorage = false,
        };
}
