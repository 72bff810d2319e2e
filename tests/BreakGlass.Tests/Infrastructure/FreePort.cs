using System.Net;
using System.Net.Sockets;

namespace BreakGlass.Tests.Infrastructure;

internal static class FreePort
{
    // Below Linux's ephemeral range (32768-60999): a port the kernel hands out for port 0 is also handed to the
    // outgoing connections of every busy test process, which can take it before the server we pick it for binds it.
    private const int First = 20000;
    private const int Last = 32000;

    public static int Next()
    {
        while (true)
        {
            var port = Random.Shared.Next(First, Last);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
