using System.Net;
using System.Net.Sockets;
using System.Text;
using Duende.IdentityModel.OidcClient.Browser;

namespace BreakGlass.Cli.SignIn;

/// <summary>
/// The RFC 8252 loopback redirect: a listener on 127.0.0.1 (port chosen by the kernel and held from the start, so no
/// other process can take it) that receives the provider's redirect once. The URL to open is printed, and opened
/// when a browser exists.
/// </summary>
internal sealed class LoopbackBrowser : IBrowser, IDisposable
{
    private readonly CliHost _host;
    private readonly TcpListener _listener;

    private LoopbackBrowser(CliHost host, TcpListener listener)
    {
        _host = host;
        _listener = listener;
    }

    public static LoopbackBrowser Start(CliHost host)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new LoopbackBrowser(host, listener);
    }

    public string RedirectUri => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";

    public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
    {
        await _host.Error.WriteLineAsync($"To sign in, open {options.StartUrl}");
        if (BrowserLauncher.TryOpen(_host, options.StartUrl)) await _host.Error.WriteLineAsync("Opened your browser.");
        await _host.Error.FlushAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            while (true)
            {
                using var connection = await _listener.AcceptTcpClientAsync(timeout.Token);
                var target = await ReadRequestTargetAsync(connection, timeout.Token);
                // Browsers also ask for /favicon.ico and may open speculative connections: wait for the redirect itself.
                var isRedirect = target is not null && (target.Contains("code=", StringComparison.Ordinal) || target.Contains("error=", StringComparison.Ordinal));
                await RespondAsync(connection, isRedirect ? "Signed in to BreakGlass. You can close this tab and return to the terminal." : "Waiting for sign-in.", timeout.Token);
                if (isRedirect) return new BrowserResult { ResultType = BrowserResultType.Success, Response = RedirectUri.TrimEnd('/') + target };
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new BrowserResult { ResultType = BrowserResultType.Timeout, Error = "The browser did not come back in time." };
        }
    }

    private static async Task<string?> ReadRequestTargetAsync(TcpClient connection, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(connection.GetStream(), Encoding.ASCII, leaveOpen: true);
        var requestLine = await reader.ReadLineAsync(cancellationToken);
        // "GET /?code=...&state=... HTTP/1.1"
        var parts = requestLine?.Split(' ');
        return parts is [_, var target, _] && target.StartsWith('/') ? target : null;
    }

    private static async Task RespondAsync(TcpClient connection, string message, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes($"<!doctype html><title>BreakGlass</title><p>{WebUtility.HtmlEncode(message)}</p>");
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        var stream = connection.GetStream();
        await stream.WriteAsync(head, cancellationToken);
        await stream.WriteAsync(body, cancellationToken);
    }

    public void Dispose() => _listener.Stop();
}
