using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// A real moto_server (the AWS wire protocol: IAM, STS, S3) on a free port, one per test class.
/// Started without authentication so a fixture can create users and roles, then
/// <see cref="EnforceAuthenticationAsync"/> switches on signature and IAM policy checks.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public async Task InitializeAsync()
    {
        Port = FreePort.Next();
        var info = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", Port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start moto_server");
        // moto logs every request: drain its pipes so it never blocks on a full buffer.
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await FreePort.WaitUntilListeningAsync(Port, StartupPatience.Timeout);
    }

    /// <summary>From now on every request must be signed by a known identity and is checked against its IAM policies.</summary>
    public async Task EnforceAuthenticationAsync()
    {
        using var http = new HttpClient();
        using var body = new StringContent("0", Encoding.UTF8);
        body.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var response = await http.PostAsync(new Uri(Endpoint, "/moto-api/reset-auth"), body);
        response.EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
