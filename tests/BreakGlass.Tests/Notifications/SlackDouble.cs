using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace BreakGlass.Tests.Notifications;

/// <summary>
/// Slack's <c>chat.postMessage</c> (under <c>/api/</c>) and an incoming webhook (under <c>/services/</c>) over real HTTP,
/// checking what Slack checks before it posts: the bearer token (<c>not_authed</c>, <c>invalid_auth</c>), the channel
/// (<c>channel_not_found</c>), a JSON body with <c>text</c> or <c>blocks</c> (<c>no_text</c>), and the Block Kit shape and
/// limits — at most 50 blocks, known block types, a plain-text header of at most 150 characters, section text of at most
/// 3000, at most 10 fields of at most 2000, context elements of at most 3000 (<c>invalid_blocks</c>). It answers
/// <c>ok:false</c> errors and HTTP 429 with <c>Retry-After</c> when a test scripts them, and keeps refusing (and counts)
/// any request that comes before the <c>Retry-After</c> it gave has passed.
/// Not modelled: Slack's per-method rate tiers (only scripted limits exist), token scopes and bot membership of the
/// channel, mrkdwn rendering, link unfurling, threads, the 40,000-character <c>text</c> limit, <c>block_id</c>
/// uniqueness, element types other than text in context blocks, and idempotency (Slack has none either).
/// </summary>
internal sealed class SlackDouble : IAsyncDisposable
{
    public const string BotToken = "xoxb-0000000000-test-bot-token";
    public const string Channel = "C0SECURITY";
    public const string WebhookPath = "/services/T000/B000/secretwebhookpath";

    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<(string Marker, Func<HttpContext, Task> Answer)> _scripted = new();
    private readonly Lock _gate = new();
    private DateTime _notBefore = DateTime.MinValue;

    private SlackDouble() => _server = new LoopbackServer(app =>
    {
        app.MapPost("/api/chat.postMessage", (RequestDelegate)(context => HandleAsync(context, webApi: true)));
        app.MapPost(WebhookPath, (RequestDelegate)(context => HandleAsync(context, webApi: false)));
    });

    public Uri ApiUrl => new(_server.BaseAddress, "/api/");

    public Uri WebhookUrl => new(_server.BaseAddress, WebhookPath);

    /// <summary>Every message Slack accepted.</summary>
    public ConcurrentQueue<JsonObject> Posted { get; } = new();

    /// <summary>Every body that reached the double, accepted or not.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Requests that came before a <c>Retry-After</c> had passed: a client that does not honour it.</summary>
    public int EarlyRequests { get; private set; }

    public int RateLimitedAnswers { get; private set; }

    public static async Task<SlackDouble> StartAsync()
    {
        var slack = new SlackDouble();
        await slack._server.StartAsync();
        return slack;
    }

    /// <summary>The first request whose body contains <paramref name="marker"/> gets HTTP 429 with <c>Retry-After</c>.</summary>
    public void RateLimitNext(string marker, int retryAfterSeconds) => _scripted.Enqueue((marker, async context =>
    {
        lock (_gate)
        {
            _notBefore = DateTime.UtcNow.AddSeconds(retryAfterSeconds);
            RateLimitedAnswers++;
        }
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new { ok = false, error = "ratelimited" });
    }));

    /// <summary>The first request whose body contains <paramref name="marker"/> gets <c>ok:false</c> with <paramref name="error"/>.</summary>
    public void FailNext(string marker, string error) =>
        _scripted.Enqueue((marker, context => context.Response.WriteAsJsonAsync(new { ok = false, error })));

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context, bool webApi)
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        Requests.Enqueue(body);
        lock (_gate)
        {
            if (DateTime.UtcNow < _notBefore)
            {
                EarlyRequests++;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.Response.Headers.RetryAfter = "1";
                return;
            }
        }
        if (_scripted.TryPeek(out var next) && body.Contains(next.Marker, StringComparison.Ordinal) && _scripted.TryDequeue(out next))
        {
            await next.Answer(context);
            return;
        }
        var error = Check(context, body, webApi, out var message);
        if (error is not null)
        {
            if (webApi) await context.Response.WriteAsJsonAsync(new { ok = false, error });
            else
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync(error);
            }
            return;
        }
        Posted.Enqueue(message!);
        if (webApi) await context.Response.WriteAsJsonAsync(new { ok = true, channel = Channel, ts = $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:0.000000}" });
        else await context.Response.WriteAsync("ok");
    }

    private static string? Check(HttpContext context, string body, bool webApi, out JsonObject? message)
    {
        message = null;
        if (webApi)
        {
            var authorization = context.Request.Headers.Authorization.ToString();
            if (string.IsNullOrEmpty(authorization)) return "not_authed";
            if (authorization != $"Bearer {BotToken}") return "invalid_auth";
        }
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true) return "invalid_arguments";
        try
        {
            message = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return "invalid_json";
        }
        if (message is null) return "invalid_json";
        if (webApi && (string?)message["channel"] != Channel) return "channel_not_found";
        var blocks = message["blocks"] as JsonArray;
        if (string.IsNullOrEmpty((string?)message["text"]) && blocks is null) return "no_text";
        return blocks is null || BlockProblems(blocks).Count == 0 ? null : "invalid_blocks";
    }

    public static IReadOnlyList<string> BlockProblems(JsonArray blocks)
    {
        var problems = new List<string>();
        if (blocks.Count > 50) problems.Add($"{blocks.Count} blocks (at most 50)");
        foreach (var block in blocks)
        {
            switch ((string?)block?["type"])
            {
                case "header":
                    if ((string?)block!["text"]?["type"] != "plain_text") problems.Add("header text must be plain_text");
                    CheckText(problems, block["text"], 150, "header");
                    break;
                case "section":
                    if (block!["text"] is null && block["fields"] is null) problems.Add("section without text or fields");
                    if (block["text"] is { } text) CheckText(problems, text, 3000, "section");
                    if (block["fields"] is JsonArray fields)
                    {
                        if (fields.Count > 10) problems.Add($"{fields.Count} fields (at most 10)");
                        foreach (var field in fields) CheckText(problems, field, 2000, "field");
                    }
                    break;
                case "context":
                    if (block!["elements"] is not JsonArray { Count: > 0 and <= 10 } elements) problems.Add("context needs 1 to 10 elements");
                    else foreach (var element in elements) CheckText(problems, element, 3000, "context");
                    break;
                case "divider":
                    break;
                default:
                    problems.Add($"unknown block type {(string?)block?["type"]}");
                    break;
            }
        }
        return problems;
    }

    private static void CheckText(List<string> problems, JsonNode? text, int limit, string where)
    {
        var type = (string?)text?["type"];
        var content = (string?)text?["text"];
        if (type is not ("plain_text" or "mrkdwn")) problems.Add($"{where} text object has type {type}");
        if (string.IsNullOrEmpty(content)) problems.Add($"{where} text is empty");
        else if (content.Length > limit) problems.Add($"{where} text is {content.Length} characters (at most {limit})");
    }
}
