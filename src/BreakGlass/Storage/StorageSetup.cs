using Npgsql;

namespace BreakGlass.Storage;

internal static class StorageSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("BreakGlass");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:BreakGlass is not set: BreakGlass keeps all its state in PostgreSQL and cannot start without it.");
        }
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        // One data source for the application and Hangfire: that is what lets a grant row and its revocation job commit together.
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString) { Name = "BreakGlass" }.Build());
        services.AddSingleton<DatabaseMigrator>();
        return services;
    }
}
