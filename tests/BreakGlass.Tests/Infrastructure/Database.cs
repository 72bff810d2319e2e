using Npgsql;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>Direct reads of the service's database, for assertions the API does not expose.</summary>
internal static class Database
{
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<int> ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Grants of the engineer whose token carries <paramref name="email"/> (stored under its subject).</summary>
    public static Task<long> GrantCountAsync(BreakGlassFixture fixture, string email) =>
        ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM grants WHERE requester = @requester",
            ("requester", TestIdentityProvider.SubjectOf(email)));
}
