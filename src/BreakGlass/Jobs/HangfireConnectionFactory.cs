using Hangfire.PostgreSql;
using Npgsql;

namespace BreakGlass.Jobs;

/// <summary>Hangfire draws its connections from the application's data source, so it joins the application's TransactionScope.</summary>
internal sealed class HangfireConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
