using BreakGlass.Jobs;
using DbUp;
using DbUp.Engine.Output;
using DbUp.Postgresql;
using Hangfire.PostgreSql;
using Npgsql;

namespace BreakGlass.Storage;

/// <summary>
/// Applies the embedded SQL migrations with DbUp and installs Hangfire's schema, as the owner role
/// (<c>ConnectionStrings:BreakGlassMigrations</c>), one instance at a time; then grants the service role
/// (<c>ConnectionStrings:BreakGlass</c>) what it needs and no more. Without a migrations string the service role
/// migrates and owns the schema itself.
/// </summary>
internal sealed partial class DatabaseMigrator(NpgsqlDataSource service, string? migrationsConnectionString, ILogger<DatabaseMigrator> logger)
{
    private static readonly string HangfireSchema = JobsSetup.StorageOptions().SchemaName;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        // DbUp is given the data source, not its ConnectionString: Npgsql strips the password from the latter.
        var owner = migrationsConnectionString is null
            ? service
            : new NpgsqlDataSourceBuilder(migrationsConnectionString) { Name = "BreakGlassMigrations" }.Build();
        try
        {
            await using var lockConnection = await owner.OpenConnectionAsync(cancellationToken);
            await AdvisoryLocks.Migrations.TakeAsync(lockConnection, cancellationToken);
            try
            {
                ApplyScripts(owner);
                PostgreSqlObjectsInstaller.Install(lockConnection, HangfireSchema);
                await GrantServiceRoleAsync(lockConnection, cancellationToken);
            }
            finally
            {
                await AdvisoryLocks.Migrations.ReleaseAsync(lockConnection);
            }
        }
        finally
        {
            if (!ReferenceEquals(owner, service)) await owner.DisposeAsync();
        }
    }

    private void ApplyScripts(NpgsqlDataSource owner)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(new PostgresqlConnectionManager(owner))
            .WithScriptsEmbeddedInAssembly(typeof(DatabaseMigrator).Assembly, name => name.Contains(".Storage.Migrations.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();
        var result = upgrader.PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"database migration failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        }
    }

    private async Task GrantServiceRoleAsync(NpgsqlConnection ownerConnection, CancellationToken cancellationToken)
    {
        var ownerRole = await ServiceRoleGrants.CurrentRoleAsync(ownerConnection, cancellationToken);
        // Asking the database which role the service string logs in as also proves that string works.
        await using var serviceConnection = await service.OpenConnectionAsync(cancellationToken);
        var serviceRole = await ServiceRoleGrants.CurrentRoleAsync(serviceConnection, cancellationToken);
        if (serviceRole == ownerRole)
        {
            LogSingleRole(logger, serviceRole);
            return;
        }
        await ServiceRoleGrants.ApplyAsync(ownerConnection, serviceRole, HangfireSchema, cancellationToken);
        LogServiceRoleGranted(logger, serviceRole, ownerRole);
        if (await ServiceRoleGrants.CanCreateInAsync(ownerConnection, serviceRole, "public", cancellationToken))
        {
            LogServiceRoleCanCreate(logger, serviceRole);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The service role {Role} owns the schema (no ConnectionStrings:BreakGlassMigrations): it could alter or drop the audit tables' protections. Give the migrations a role of their own.")]
    private static partial void LogSingleRole(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database migrated by {OwnerRole}; service role {Role} granted data access only")]
    private static partial void LogServiceRoleGranted(ILogger logger, string role, string ownerRole);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The service role {Role} may create objects in schema public (granted through PUBLIC before PostgreSQL 15): REVOKE CREATE ON SCHEMA public FROM PUBLIC")]
    private static partial void LogServiceRoleCanCreate(ILogger logger, string role);

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("{Message}", string.Format(format, args));
        public void LogDebug(string format, params object[] args) => logger.LogDebug("{Message}", string.Format(format, args));
        public void LogInformation(string format, params object[] args) => logger.LogInformation("{Message}", string.Format(format, args));
        public void LogWarning(string format, params object[] args) => logger.LogWarning("{Message}", string.Format(format, args));
        public void LogError(string format, params object[] args) => logger.LogError("{Message}", string.Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{Message}", string.Format(format, args));
    }
}
