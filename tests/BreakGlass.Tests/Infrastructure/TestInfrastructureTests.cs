using Npgsql;

namespace BreakGlass.Tests.Infrastructure;

public sealed class TestInfrastructureTests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task ARealPostgreSqlDatabaseIsCreatedPerCaller()
    {
        var server = await PostgresServer.GetAsync();
        var first = await server.CreateDatabaseAsync();
        var second = await server.CreateDatabaseAsync();
        Assert.NotEqual(first, second);
        await using var connection = new NpgsqlConnection(first);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int", connection);
        Assert.True((int)(await command.ExecuteScalarAsync())! >= 150000);
    }

    [Fact]
    public async Task TheClusterRefusesALoginWithoutItsPassword()
    {
        var server = await PostgresServer.GetAsync();
        var withoutPassword = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Password = null };
        var wrongPassword = new NpgsqlConnectionStringBuilder(withoutPassword.ConnectionString) { Password = "not-the-password" };

        await using var anonymous = new NpgsqlConnection(withoutPassword.ConnectionString);
        await Assert.ThrowsAsync<NpgsqlException>(() => anonymous.OpenAsync());
        await using var guessing = new NpgsqlConnection(wrongPassword.ConnectionString);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => guessing.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
    }

    [Fact]
    public async Task MotoAnswersOnItsOwnPort()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(moto.Endpoint, "/moto-api/"));
        Assert.True(response.IsSuccessStatusCode);
    }
}
