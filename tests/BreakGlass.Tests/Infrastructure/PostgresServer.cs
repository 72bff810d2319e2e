using Npgsql;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL 15 cluster for the whole test run, in a temporary directory on a free port.
/// Each test class asks for a database of its own, so tests never share data.
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int _databaseCounter;

    private readonly string _dataDirectory;
    private readonly string _binDirectory;

    private PostgresServer(string dataDirectory, string binDirectory, int port)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "bg")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    private static async Task<PostgresServer> StartAsync()
    {
        var binDirectory = (await ChildProcess.RunAsync("pg_config", ["--bindir"])).Trim();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"breakglass-tests-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var port = FreePort.Next();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            await ChildProcess.RunAsync("chown", ["postgres:postgres", dataDirectory]);
        }
        await RunAsClusterOwnerAsync(asRoot, Path.Combine(binDirectory, "initdb"),
            ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"]);
        await RunAsClusterOwnerAsync(asRoot, Path.Combine(binDirectory, "pg_ctl"),
            ["-D", dataDirectory, "-w", "-l", Path.Combine(dataDirectory, "server.log"), "-o",
             $"-p {port} -k {dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start"]);
        var server = new PostgresServer(dataDirectory, binDirectory, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
        return server;
    }

    private void Stop(bool asRoot)
    {
        try
        {
            RunAsClusterOwnerAsync(asRoot, Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "stop"])
                .GetAwaiter().GetResult();
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or IOException)
        {
            Console.Error.WriteLine($"could not stop the test PostgreSQL cluster: {exception.Message}");
        }
    }

    private static Task<string> RunAsClusterOwnerAsync(bool asRoot, string program, string[] arguments) =>
        asRoot
            ? ChildProcess.RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments])
            : ChildProcess.RunAsync(program, arguments);
}
