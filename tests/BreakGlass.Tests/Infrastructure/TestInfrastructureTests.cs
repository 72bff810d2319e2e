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
    public async Task MotoAnswersOnItsOwnPort()
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(moto.Endpoint, "/moto-api/"));
        Assert.True(response.IsSuccessStatusCode);
    }
}
