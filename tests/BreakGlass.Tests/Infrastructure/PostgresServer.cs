using System.Security.Cryptography;
using Npgsql;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// One real PostgreSQL 15 cluster for the whole test run, in a temporary directory on a free port. Every login, the
/// superuser's included, is SCRAM-SHA-256 with a password over TCP, as in production, so a connection string that
/// loses its password fails here too. Each test class asks for a database of its own, so tests never share data.
/// Two roles, as the service is deployed: <see cref="OwnerRole"/> owns every database (the migrations role) and
/// <see cref="ServiceRole"/> is the service's login, with only what the migrations grant it.
/// </summary>
internal sealed class PostgresServer
{
    public const string OwnerRole = "breakglass_owner";
    public const string ServiceRole = "breakglass_service";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private static int _databaseCounter;

    private readonly string _dataDirectory;
    private readonly string _binDirectory;
    private readonly string _superuserPassword;
    private readonly string _ownerPassword = NewPassword();
    private readonly string _servicePassword = NewPassword();

    private PostgresServer(string dataDirectory, string binDirectory, int port, string superuserPassword)
    {
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        Port = port;
        _superuserPassword = superuserPassword;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={_superuserPassword};Database=postgres;Pooling=false";

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>Creates an empty database owned by <see cref="OwnerRole"/> and returns the owner's connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "bg")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER {OwnerRole}", connection);
        await command.ExecuteNonQueryAsync();
        // A fresh process's first login (SCRAM, then loading the types) can take longer than Npgsql's 15 s on a loaded box.
        return $"Host=127.0.0.1;Port={Port};Username={OwnerRole};Password={_ownerPassword};Database={name};Timeout=60";
    }

    /// <summary>The same database as <paramref name="databaseConnectionString"/>, logged in as the service role.</summary>
    public string ServiceConnectionString(string databaseConnectionString) =>
        new NpgsqlConnectionStringBuilder(databaseConnectionString) { Username = ServiceRole, Password = _servicePassword }.ConnectionString;

    private static async Task<PostgresServer> StartAsync()
    {
        var binDirectory = (await ChildProcess.RunAsync("pg_config", ["--bindir"])).Trim();
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"breakglass-tests-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dataDirectory);
        var passwordFile = Path.Combine(Path.GetTempPath(), $"breakglass-tests-pg-{Environment.ProcessId}-{Guid.NewGuid():N}.pw");
        var superuserPassword = NewPassword();
        // Read once by initdb and deleted right after.
        await File.WriteAllTextAsync(passwordFile, superuserPassword + "\n");
        var port = FreePort.Next();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            await ChildProcess.RunAsync("chown", ["postgres:postgres", dataDirectory, passwordFile]);
        }
        try
        {
            await RunAsClusterOwnerAsync(asRoot, Path.Combine(binDirectory, "initdb"),
                ["-D", dataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--no-sync"]);
        }
        finally
        {
            File.Delete(passwordFile);
        }
        await RunAsClusterOwnerAsync(asRoot, Path.Combine(binDirectory, "pg_ctl"),
            ["-D", dataDirectory, "-w", "-l", Path.Combine(dataDirectory, "server.log"), "-o",
             $"-p {port} -k {dataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start"]);
        var server = new PostgresServer(dataDirectory, binDirectory, port, superuserPassword);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop(asRoot);
        await server.CreateRolesAsync();
        return server;
    }

    private async Task CreateRolesAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var (role, password) in new[] { (OwnerRole, _ownerPassword), (ServiceRole, _servicePassword) })
        {
            await using var command = new NpgsqlCommand($"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}'", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

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
