using System.Collections.Concurrent;
using System.Net;
using BreakGlass.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace BreakGlass.Tests.Observability;

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP receiver on a real socket: it takes what a collector takes
/// (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> as <c>application/x-protobuf</c>, anything else 415) and
/// keeps every span it decodes.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private const string Protobuf = "application/x-protobuf";
    private readonly WebApplication _app;

    public OtlpReceiver()
    {
        Port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                Requests.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.ContentType} -> {context.Response.StatusCode}");
            }
        });
        _app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            if (await ReadProtobufAsync(request) is not { } body) return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            foreach (var span in OtlpSpans.Decode(body)) Spans.Add(span);
            return Results.Bytes([], Protobuf);
        });
        foreach (var signal in new[] { "/v1/metrics", "/v1/logs" })
        {
            _app.MapPost(signal, async (HttpRequest request) =>
                await ReadProtobufAsync(request) is null ? Results.StatusCode(StatusCodes.Status415UnsupportedMediaType) : Results.Bytes([], Protobuf));
        }
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public ConcurrentBag<ReceivedSpan> Spans { get; } = [];

    /// <summary>Every request it answered, for a failure message.</summary>
    public ConcurrentQueue<string> Requests { get; } = [];

    public Task StartAsync() => _app.StartAsync();

    private static async Task<byte[]?> ReadProtobufAsync(HttpRequest request)
    {
        if (request.ContentType != Protobuf) return null;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return body.ToArray();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
