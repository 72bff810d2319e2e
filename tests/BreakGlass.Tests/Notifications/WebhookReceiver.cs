using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BreakGlass.Tests.Notifications;

/// <summary>
/// A receiver that does what docs/notifications.md tells receivers to do, written apart from the service's code:
/// refuse a body whose <c>X-BreakGlass-Signature</c> is not the HMAC-SHA256 of <c>timestamp.body</c>, or whose
/// timestamp is more than five minutes away; remember each notification by its <c>id</c>.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly LoopbackServer _server;

    private WebhookReceiver(string secret)
    {
        Secret = secret;
        _server = new LoopbackServer(app => app.MapPost("/hook", (RequestDelegate)HandleAsync));
    }

    public string Secret { get; }

    public Uri Url => new(_server.BaseAddress, "/hook");

    /// <summary>Verified bodies, in arrival order (a repeat would appear twice).</summary>
    public ConcurrentQueue<JsonObject> Received { get; } = new();

    public int Refused { get; private set; }

    /// <summary>While set, every request is answered 503 (a receiver that is up but broken).</summary>
    public bool Failing { get; set; }

    public static async Task<WebhookReceiver> StartAsync(string? secret = null)
    {
        var receiver = new WebhookReceiver(secret ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await receiver._server.StartAsync();
        return receiver;
    }

    /// <summary>Connection refused until <see cref="ComeBackAsync"/>.</summary>
    public Task GoDownAsync() => _server.StopAsync();

    public Task ComeBackAsync() => _server.StartAsync();

    public IReadOnlyList<JsonObject> For(string grantId) =>
        Received.Where(body => (string?)body["grantId"] == grantId).ToList();

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    public static bool Verify(string secret, string timestamp, string signature, byte[] body, DateTimeOffset now)
    {
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance) return false;
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var expected = "sha256=" + Convert.ToHexString(hmac.ComputeHash(Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray())).ToLowerInvariant();
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (Failing)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!Verify(Secret, context.Request.Headers["X-BreakGlass-Timestamp"].ToString(), context.Request.Headers["X-BreakGlass-Signature"].ToString(), body, DateTimeOffset.UtcNow))
        {
            Refused++;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        Received.Enqueue(JsonNode.Parse(body)!.AsObject());
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
