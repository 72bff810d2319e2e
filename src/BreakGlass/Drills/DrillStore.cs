using System.Text.Json;
using Dapper;
using Npgsql;

namespace BreakGlass.Drills;

/// <summary>The one owner of the SQL on <c>drills</c>. A drill's grant is found through <c>grants.drill_id</c>.</summary>
internal static class DrillStore
{
    private static readonly JsonSerializerOptions StageJson = new(JsonSerializerDefaults.Web);

    private const string Select =
        """
        SELECT d.id, d.role_name AS Role, d.requested_by AS RequestedBy, d.started_at AS StartedAt, d.finished_at AS FinishedAt,
               d.passed, g.id AS GrantId, d.stages::text AS Stages
        FROM drills d LEFT JOIN grants g ON g.drill_id = d.id
        """;

    public static Task InsertAsync(NpgsqlConnection connection, Guid id, string role, string requestedBy, DateTimeOffset startedAt) =>
        connection.ExecuteAsync(
            "INSERT INTO drills (id, role_name, requested_by, started_at) VALUES (@id, @role, @requestedBy, @startedAt)",
            new { id, role, requestedBy, startedAt });

    /// <summary>Adds a finished stage to a drill still running.</summary>
    public static Task AppendStageAsync(NpgsqlConnection connection, Guid id, DrillStage stage) =>
        connection.ExecuteAsync(
            "UPDATE drills SET stages = stages || jsonb_build_array(CAST(@stage AS jsonb)) WHERE id = @id AND finished_at IS NULL",
            new { id, stage = JsonSerializer.Serialize(stage, StageJson) });

    /// <summary>Records the result; false when the drill had already finished (another run of its job got there first).</summary>
    public static async Task<bool> TryFinishAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, bool passed, DateTimeOffset finishedAt) =>
        await connection.ExecuteAsync(
            "UPDATE drills SET passed = @passed, finished_at = @finishedAt WHERE id = @id AND finished_at IS NULL",
            new { id, passed, finishedAt }, transaction) == 1;

    public static async Task<Drill?> FindAsync(NpgsqlConnection connection, Guid id) =>
        (await connection.QueryAsync<Row>($"{Select} WHERE d.id = @id", new { id })).Select(ToDrill).SingleOrDefault();

    /// <summary>Newest first.</summary>
    public static async Task<IReadOnlyList<Drill>> ListAsync(NpgsqlConnection connection, int limit) =>
        (await connection.QueryAsync<Row>($"{Select} ORDER BY d.started_at DESC, d.id LIMIT @limit", new { limit })).Select(ToDrill).ToList();

    private static Drill ToDrill(Row row) =>
        new(row.Id, row.Role, row.RequestedBy, row.StartedAt, row.FinishedAt, row.Passed, row.GrantId,
            JsonSerializer.Deserialize<List<DrillStage>>(row.Stages, StageJson)!);

    private sealed record Row(
        Guid Id, string Role, string RequestedBy, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool? Passed, Guid? GrantId, string Stages);
}
