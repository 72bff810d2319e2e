using System.Transactions;
using BreakGlass.Audit;
using BreakGlass.Notifications;
using BreakGlass.Storage;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BreakGlass.Tests.Notifications;

/// <summary>Audit and Notifications as the service registers them, on a real migrated database, without a host (nothing is delivered).</summary>
public sealed class OutboxAtomicityTests : IAsyncLifetime
{
    private ServiceProvider _provider = null!;
    private string _ownerConnectionString = "";

    public async Task InitializeAsync()
    {
        DapperSetup.Configure();
        var postgres = await PostgresServer.GetAsync();
        _ownerConnectionString = await postgres.CreateDatabaseAsync();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notifications:Webhooks:0:Url"] = "https://siem.example.com/breakglass",
            ["Notifications:Webhooks:0:Secret"] = "s3cret",
            ["Notifications:Webhooks:1:Url"] = "https://pager.example.com/breakglass",
            ["Notifications:Webhooks:1:Secret"] = "s3cret",
            ["Notifications:Webhooks:1:Events:0"] = "grant.ended",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        var serviceConnectionString = postgres.ServiceConnectionString(_ownerConnectionString);
        services.AddSingleton(_ => NpgsqlDataSource.Create(serviceConnectionString));
        services.AddSingleton(provider => new DatabaseMigrator(
            provider.GetRequiredService<NpgsqlDataSource>(), _ownerConnectionString, provider.GetRequiredService<ILogger<DatabaseMigrator>>()));
        services.AddOptions<PublicUrlOptions>();
        services.AddAudit();
        services.AddNotifications(configuration);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        await _provider.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ARolledBackEventLeavesNoNotificationAndACommittedOneIsQueuedForEachChannelThatTakesIt()
    {
        var audit = _provider.GetRequiredService<AuditLog>();
        var database = _provider.GetRequiredService<NpgsqlDataSource>();
        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await audit.AppendAsync(connection, transaction, null, "role.revoked_all", "carol", PanicData("rolled back"));
            await transaction.RollbackAsync();
        }
        Assert.Equal(0L, await OutboxRowsAsync());

        await using (var connection = await database.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await audit.AppendAsync(connection, transaction, null, "role.revoked_all", "carol", PanicData("committed"));
            await transaction.CommitAsync();
        }

        Assert.Equal(1L, await OutboxRowsAsync());
        Assert.Equal("role.revoked_all", await Database.ScalarAsync<string>(_ownerConnectionString, "SELECT type FROM notification_outbox"));
    }

    [Fact]
    public async Task AnEventAppendedInAnAbandonedTransactionScopeLeavesNoNotification()
    {
        var audit = _provider.GetRequiredService<AuditLog>();
        var before = await OutboxRowsAsync();
        // As the grant's first commit does it: no NpgsqlTransaction, the connection enlisted in the ambient scope.
        using (new TransactionScope(TransactionScopeOption.Required, TransactionScopeAsyncFlowOption.Enabled))
        {
            await using var connection = await _provider.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            await audit.AppendAsync(connection, null, null, "role.revoked_all", "carol", PanicData("scope not completed"));
        }

        Assert.Equal(before, await OutboxRowsAsync());
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private static Dictionary<string, object?> PanicData(string reason) => new()
    {
        ["role"] = "prod-admin",
        ["roleArn"] = "arn:aws:iam::123456789012:role/prod-admin",
        ["reason"] = reason,
        ["endedGrants"] = Array.Empty<Guid>(),
    };

    private Task<long> OutboxRowsAsync() => Database.ScalarAsync<long>(_ownerConnectionString, "SELECT count(*) FROM notification_outbox");
}
