using System.Diagnostics;
using Npgsql;

namespace BreakGlass.Storage;

internal static class StorageSetup
{
    public const string ServiceConnection = "BreakGlass";
    public const string MigrationsConnection = "BreakGlassMigrations";

    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ServiceConnection);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:BreakGlass is not set: BreakGlass keeps all its state in PostgreSQL and cannot start without it.");
        }
        var migrationsConnectionString = configuration.GetConnectionString(MigrationsConnection);
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        // One data source for the application and Hangfire: that is what lets a grant row and its revocation job commit together.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "BreakGlass" }
            // Only statements inside a traced operation: Hangfire's queue polling every second would bury the traces.
            .ConfigureTracing(tracing => tracing
                .ConfigureCommandFilter(_ => Activity.Current is not null)
                .ConfigureBatchFilter(_ => Activity.Current is not null))
            .Build());
        services.AddSingleton(provider => new DatabaseMigrator(
            provider.GetRequiredService<NpgsqlDataSource>(),
            string.IsNullOrWhiteSpace(migrationsConnectionString) ? null : migrationsConnectionString,
            provider.GetRequiredService<ILogger<DatabaseMigrator>>()));
        return services;
    }
}
