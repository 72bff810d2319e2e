using System.Collections.Concurrent;
using System.Diagnostics;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>The real service as a child process on a real socket, so tests can kill -9 and restart it.</summary>
internal sealed class BreakGlassProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _log;
    private Process? _process;

    public BreakGlassProcess(IDictionary<string, string> environment, ConcurrentQueue<string>? sharedLog = null, int? port = null)
    {
        Port = port ?? FreePort.Next();
        _environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__LogLevel__Default"] = "Information",
        };
        foreach (var (key, value) in environment) _environment[key] = value;
        _environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}";
        _log = sharedLog ?? new ConcurrentQueue<string>();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The running process's id (benchmarks read its memory); null before it starts.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>Everything the service wrote to stdout and stderr, for checking that no secret was logged.</summary>
    public IEnumerable<string> Log => _log;


    public async Task StartAsync()
    {
        var serviceDll = Path.Combine(AppContext.BaseDirectory, "BreakGlass.dll");
        var info = new ProcessStartInfo("dotnet", [serviceDll]) { WorkingDirectory = AppContext.BaseDirectory };
        foreach (var (key, value) in _environment) info.Environment[key] = value;
        _process = ChildProcess.StartLogged(info, _log);
        await WaitUntilReadyAsync();
    }

    /// <summary>SIGKILL: no shutdown hooks, no draining — what a crash looks like.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartupPatience.Timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"BreakGlass exited with {_process.ExitCode}:\n{string.Join('\n', _log)}");
            }
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"BreakGlass did not become ready:\n{string.Join('\n', _log)}");
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
