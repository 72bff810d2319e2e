using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Storage;

/// <summary><c>BreakGlass.dll --migrate-only</c> as the real process, as systemd's ExecStartPre runs it, with password logins.</summary>
public sealed class MigrateOnlyTests
{
    [Fact]
    public async Task TheMigrationsRoleCreatesTheSchemaAndGrantsTheServiceRoleDataAccessOnlyAndARerunChangesNothing()
    {
        var postgres = await PostgresServer.GetAsync();
        var owner = await postgres.CreateDatabaseAsync("migrate");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__BreakGlass"] = postgres.ServiceConnectionString(owner),
            ["ConnectionStrings__BreakGlassMigrations"] = owner,
        };
        Assert.Contains("Password=", environment["ConnectionStrings__BreakGlass"], StringComparison.Ordinal);
        Assert.Contains("Password=", owner, StringComparison.Ordinal);

        var output = await MigrateOnlyAsync(environment);
        var applied = await Database.ScalarAsync<long>(owner, "SELECT count(*) FROM schemaversions");
        await MigrateOnlyAsync(environment);

        Assert.Contains($"service role {PostgresServer.ServiceRole} granted data access only", output, StringComparison.Ordinal);
        Assert.True(applied >= 5);
        Assert.Equal(applied, await Database.ScalarAsync<long>(owner, "SELECT count(*) FROM schemaversions"));
        var owners = await Database.ScalarAsync<string[]>(owner,
            "SELECT array_agg(DISTINCT tableowner::text) FROM pg_tables WHERE schemaname IN ('public', 'hangfire')");
        Assert.Equal([PostgresServer.OwnerRole], owners);
        Assert.Equal(0L, await Database.ScalarAsync<long>(owner, "SELECT count(*) FROM hangfire.job"));
        var servicePrivileges = await Database.ScalarAsync<bool[]>(owner,
            """
            SELECT ARRAY[has_table_privilege(@role, 'audit_events', 'INSERT'), has_table_privilege(@role, 'audit_events', 'SELECT'),
                         has_table_privilege(@role, 'audit_events', 'UPDATE'), has_table_privilege(@role, 'schemaversions', 'SELECT'),
                         has_table_privilege(@role, 'hangfire.job', 'UPDATE')]
            """, ("role", PostgresServer.ServiceRole));
        Assert.Equal([true, true, false, false, true], servicePrivileges);

        // Once two roles are set up, the service string alone cannot migrate: it may not even read the journal.
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MigrateOnlyAsync(
            new Dictionary<string, string> { ["ConnectionStrings__BreakGlass"] = environment["ConnectionStrings__BreakGlass"] }));
        Assert.Contains("permission denied for table schemaversions", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAMigrationsStringTheServiceStringMigratesAndOwnsTheSchemaWhichIsLoggedAsWeaker()
    {
        var postgres = await PostgresServer.GetAsync();
        var owner = await postgres.CreateDatabaseAsync("migrate");

        var output = await MigrateOnlyAsync(new Dictionary<string, string> { ["ConnectionStrings__BreakGlass"] = owner });

        Assert.Contains($"The service role {PostgresServer.OwnerRole} owns the schema", output, StringComparison.Ordinal);
        Assert.True(await Database.ScalarAsync<long>(owner, "SELECT count(*) FROM schemaversions") >= 5);
    }

    private static Task<string> MigrateOnlyAsync(Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["Logging__Console__FormatterName"] = "simple";
        return ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "BreakGlass.dll"), "--migrate-only"], environment);
    }
}
