using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// A TCP relay in front of a real endpoint (moto) that can make the network path fail the way a blocked
/// firewall or a stuck load balancer does: in <see cref="Mode.Hang"/> it accepts connections, reads the request
/// and never answers; in <see cref="Mode.Delay"/> it holds each new connection for a while, then relays it.
/// It does not model a refused connection (a closed port does that) or TLS: it relays bytes, so SigV4
/// signatures made for its address reach moto unchanged.
/// </summary>
internal sealed class StallingProxy : IAsyncDisposable
{
    public enum Mode { Forward, Hang, Delay }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Uri> _upstream;
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile Mode _mode = Mode.Forward;
    private TimeSpan _delay;
    private int _hung;

    /// <param name="upstream">Read when a connection is relayed, so it may be started after the proxy.</param>
    public StallingProxy(Func<Uri> upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Endpoint => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>How many connections were accepted and left unanswered.</summary>
    public int Hung => _hung;

    public void Forward() => Switch(Mode.Forward, TimeSpan.Zero);

    public void Hang() => Switch(Mode.Hang, TimeSpan.Zero);

    public void Delay(TimeSpan delay) => Switch(Mode.Delay, delay);

    // Pooled connections opened under the old mode must not carry requests past the new one.
    private void Switch(Mode mode, TimeSpan delay)
    {
        _delay = delay;
        _mode = mode;
        foreach (var client in _open.Keys)
        {
            client.Dispose();
            _open.TryRemove(client, out _);
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception stopped) when (stopped is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _open[client] = 0;
            _ = ServeAsync(client, _mode, _delay);
        }
    }

    private async Task ServeAsync(TcpClient client, Mode mode, TimeSpan delay)
    {
        try
        {
            var downstream = client.GetStream();
            if (mode == Mode.Hang)
            {
                Interlocked.Increment(ref _hung);
                // Read and discard until the caller gives up: the request is taken and never answered.
                var sink = new byte[8192];
                while (await downstream.ReadAsync(sink, _stopping.Token) > 0)
                {
                }
                return;
            }
            if (mode == Mode.Delay) await Task.Delay(delay, _stopping.Token);
            var target = _upstream();
            using var upstreamClient = new TcpClient();
            await upstreamClient.ConnectAsync(target.Host, target.Port, _stopping.Token);
            var upstream = upstreamClient.GetStream();
            await Task.WhenAny(downstream.CopyToAsync(upstream, _stopping.Token), upstream.CopyToAsync(downstream, _stopping.Token));
        }
        catch (Exception closed) when (closed is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _open.TryRemove(client, out _);
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Switch(Mode.Forward, TimeSpan.Zero);
        _stopping.Dispose();
    }
}
