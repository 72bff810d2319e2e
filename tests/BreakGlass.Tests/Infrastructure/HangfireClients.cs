using BreakGlass.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Npgsql;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>A Hangfire client on a service's database, configured exactly as the service configures its storage.</summary>
internal static class HangfireClients
{
    public static (NpgsqlDataSource DataSource, BackgroundJobClient Jobs) For(string connectionString)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        return (dataSource, new BackgroundJobClient(new PostgreSqlStorage(new HangfireConnectionFactory(dataSource), JobsSetup.StorageOptions())));
    }
}
