using Dapper;
using Npgsql;

namespace BreakGlass.Storage;

/// <summary>
/// What the service role may do, granted by the owner after every migration (idempotent: revoke, then grant, in one
/// transaction). Data access only: no table, trigger or schema is the service's, so it cannot lift a protection. A
/// record table — one guarded by the shared append-only trigger — is INSERT and SELECT only, so even with the triggers
/// gone the service could not rewrite history.
/// </summary>
internal static class ServiceRoleGrants
{
    private const string AppendOnlyTrigger = "refuse_rewriting_append_only_table";
    private const string MigrationJournal = "schemaversions";

    public static Task<string> CurrentRoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_user", cancellationToken: cancellationToken))!;

    public static async Task ApplyAsync(NpgsqlConnection owner, string serviceRole, string hangfireSchema, CancellationToken cancellationToken)
    {
        var role = Identifier(serviceRole);
        var hangfire = Identifier(hangfireSchema);
        await using var transaction = await owner.BeginTransactionAsync(cancellationToken);
        var recordTables = (await owner.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT c.relname FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE n.nspname = 'public' AND p.proname = @AppendOnlyTrigger
            ORDER BY 1
            """, new { AppendOnlyTrigger }, transaction, cancellationToken: cancellationToken))).ToList();
        var statements = new List<string>
        {
            $"GRANT USAGE ON SCHEMA public, {hangfire} TO {role}",
            $"REVOKE ALL ON ALL TABLES IN SCHEMA public, {hangfire} FROM {role}",
            $"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public, {hangfire} FROM {role}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, {hangfire} TO {role}",
            $"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public, {hangfire} TO {role}",
            // DbUp's journal is the owner's business.
            $"REVOKE ALL ON public.{MigrationJournal} FROM {role}",
        };
        if (recordTables.Count > 0)
        {
            statements.Add($"REVOKE UPDATE, DELETE ON {string.Join(", ", recordTables.Select(table => $"public.{Identifier(table)}"))} FROM {role}");
        }
        foreach (var statement in statements)
        {
            await owner.ExecuteAsync(new CommandDefinition(statement, transaction: transaction, cancellationToken: cancellationToken));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Whether the role can create objects in the schema (PUBLIC may grant it: PostgreSQL before 15 did so on <c>public</c>).</summary>
    public static Task<bool> CanCreateInAsync(NpgsqlConnection connection, string role, string schema, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT has_schema_privilege(@role, @schema, 'CREATE')", new { role, schema }, cancellationToken: cancellationToken));

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
