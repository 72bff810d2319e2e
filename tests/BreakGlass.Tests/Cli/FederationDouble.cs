using System.Collections.Concurrent;
using BreakGlass.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace BreakGlass.Tests.Cli;

/// <summary>
/// The AWS federation endpoint's <c>getSigninToken</c>, checked as AWS checks it: the Session JSON must carry exactly
/// sessionId, sessionKey and sessionToken, and SessionDuration must be 900-43200 seconds.
/// </summary>
internal sealed class FederationDouble : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FederationDouble(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<IQueryCollection> Requests { get; } = new();

    public static async Task<FederationDouble> StartAsync()
    {
        var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/federation");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{url.Port}");
        var app = builder.Build();
        var double_ = new FederationDouble(app, url);
        app.MapGet("/federation", (HttpRequest request) =>
        {
            double_.Requests.Enqueue(request.Query);
            if (request.Query["Action"] != "getSigninToken") return Results.BadRequest();
            if (!int.TryParse(request.Query["SessionDuration"], out var seconds) || seconds is < 900 or > 43200) return Results.BadRequest();
            var session = System.Text.Json.JsonDocument.Parse(request.Query["Session"].ToString()).RootElement;
            var keys = session.EnumerateObject().Select(property => property.Name).Order().ToArray();
            return keys.SequenceEqual(["sessionId", "sessionKey", "sessionToken"])
                ? Results.Json(new Dictionary<string, string> { ["SigninToken"] = "signin-token-" + Guid.NewGuid().ToString("N") })
                : Results.BadRequest();
        });
        await app.StartAsync();
        return double_;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
