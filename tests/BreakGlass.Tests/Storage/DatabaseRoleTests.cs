using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Npgsql;

namespace BreakGlass.Tests.Storage;

/// <summary>
/// The service logs in as a role that was granted data access by the migrations role and owns nothing: it cannot
/// rewrite a record table, nor lift the triggers that guard them, nor change the schema.
/// </summary>
public sealed class DatabaseRoleTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Theory]
    [InlineData("UPDATE audit_events SET actor = 'mallory@example.com'")]
    [InlineData("DELETE FROM audit_events WHERE sequence = (SELECT max(sequence) FROM audit_events)")]
    [InlineData("TRUNCATE audit_events")]
    [InlineData("UPDATE evidence_events SET severity = 'info'")]
    [InlineData("DELETE FROM evidence_events")]
    [InlineData("TRUNCATE evidence_events")]
    [InlineData("UPDATE reviews SET decision = 'approved'")]
    [InlineData("DELETE FROM reviews")]
    [InlineData("TRUNCATE reviews")]
    public async Task TheServiceRoleMayNotRewriteARecordTable(string statement)
    {
        await BreakGlassOnceAsync();

        await AssertRefusedByPrivilegesAsync(statement, "permission denied");
        Assert.True(await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events") > 0);
    }

    [Theory]
    [InlineData("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete")]
    [InlineData("ALTER TABLE audit_events DISABLE TRIGGER USER")]
    [InlineData("DROP TRIGGER audit_events_no_update_or_delete ON audit_events")]
    [InlineData("DROP TRIGGER audit_events_no_truncate ON audit_events")]
    [InlineData("ALTER TABLE evidence_events DISABLE TRIGGER evidence_events_no_update_or_delete")]
    [InlineData("DROP TRIGGER evidence_events_no_update_or_delete ON evidence_events")]
    [InlineData("ALTER TABLE reviews DISABLE TRIGGER reviews_no_update_or_delete")]
    [InlineData("DROP TRIGGER reviews_no_update_or_delete ON reviews")]
    [InlineData("DROP FUNCTION refuse_rewriting_append_only_table() CASCADE")]
    [InlineData("DROP TABLE audit_events")]
    [InlineData("ALTER TABLE hangfire.job DISABLE TRIGGER ALL")]
    public async Task TheServiceRoleMayNotLiftTheProtections(string statement) =>
        await AssertRefusedByPrivilegesAsync(statement, "must be owner");

    [Theory]
    [InlineData("CREATE TABLE shadow_audit (sequence bigint)")]
    [InlineData("CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$")]
    [InlineData("CREATE TABLE hangfire.shadow (id int)")]
    public async Task TheServiceRoleMayNotChangeTheSchema(string statement) =>
        await AssertRefusedByPrivilegesAsync(statement, "permission denied for schema");

    [Fact]
    public async Task EveryTableIsOwnedByTheMigrationsRoleAndRecordTablesAreInsertAndSelectOnlyForTheService()
    {
        var owners = await Database.ScalarAsync<string[]>(fixture.ConnectionString,
            "SELECT array_agg(DISTINCT tableowner::text) FROM pg_tables WHERE schemaname IN ('public', 'hangfire')");
        Assert.Equal([PostgresServer.OwnerRole], owners);
        Assert.True(await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'hangfire'") > 5);

        var privileges = await Database.ScalarAsync<string[]>(fixture.ConnectionString,
            """
            SELECT array_agg(table_name || ':' || privilege_type ORDER BY table_name, privilege_type)
            FROM information_schema.role_table_grants
            WHERE grantee = @role AND table_name IN ('audit_events', 'evidence_events', 'reviews')
            """, ("role", PostgresServer.ServiceRole));
        Assert.Equal(
            ["audit_events:INSERT", "audit_events:SELECT", "evidence_events:INSERT", "evidence_events:SELECT", "reviews:INSERT", "reviews:SELECT"],
            privileges);
    }

    private async Task AssertRefusedByPrivilegesAsync(string statement, string expected)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync(fixture.ServiceConnectionString, statement));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        // Refused by the privilege system, before any trigger could run.
        Assert.Contains(expected, refused.MessageText, StringComparison.Ordinal);
        Assert.DoesNotContain("append-only", refused.MessageText, StringComparison.Ordinal);
    }

    private async Task BreakGlassOnceAsync()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
    }
}
