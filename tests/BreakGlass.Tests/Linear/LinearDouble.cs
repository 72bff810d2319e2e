using System.Globalization;
using System.Net;
using System.Text.Json;
using GraphQL;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BreakGlass.Tests.Linear;

public enum LinearOutage
{
    /// <summary>HTTP 503 with an HTML page, as a CDN in front of a failing origin answers.</summary>
    ServiceUnavailable,

    /// <summary>The request is read, then the connection is dropped without an answer.</summary>
    ConnectionReset,

    /// <summary>Nothing listens on the port any more.</summary>
    ConnectionRefused,
}

public enum LinearRateLimitAnswer
{
    /// <summary>HTTP 400 with <c>extensions.code = RATELIMITED</c>, as Linear's GraphQL layer answers.</summary>
    GraphQlError,

    /// <summary>HTTP 429 with <c>Retry-After</c>.</summary>
    TooManyRequests,
}

/// <summary>
/// Linear's GraphQL API on a real loopback socket. Every request is authenticated against
/// <see cref="ApiKey"/>, parsed, and validated with its variables against Linear's published schema;
/// the operations BreakGlass uses are then executed against an in-memory workspace.
/// Switches make it hold its answers, go down, rate-limit, or drop the answer after a mutation committed.
/// </summary>
internal sealed class LinearDouble : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly List<string> _operations = [];
    private WebApplication? _app;
    private LinearOutage? _outage;
    private TaskCompletionSource? _held;
    private RateLimitWindow? _rateLimit;
    private int _dropAfterCommit;
    private int _requestCount;
    private int _heldCount;
    private int _rateLimitedCount;

    private LinearDouble(string apiKey)
    {
        ApiKey = apiKey;
        Workspace = new LinearWorkspace("breakglass-tests");
    }

    public string ApiKey { get; }

    public int Port { get; private set; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/graphql");

    /// <summary>Seed teams, labels and existing issues here; read what BreakGlass created.</summary>
    public LinearWorkspace Workspace { get; }

    public IReadOnlyList<LinearIssueRecord> Issues => Workspace.Issues;
    public IReadOnlyList<LinearCommentRecord> Comments => Workspace.Comments;
    public IReadOnlyList<LinearAttachmentRecord> Attachments => Workspace.Attachments;

    /// <summary>Every HTTP request that reached the double, answered or not.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    public int RateLimitedCount => Volatile.Read(ref _rateLimitedCount);

    /// <summary>The operation names of the requests that were executed, in order.</summary>
    public IReadOnlyList<string> Operations
    {
        get
        {
            lock (_gate)
                return [.. _operations];
        }
    }

    /// <summary>Requests that arrived while answers were held and are still waiting (their caller has not given up).</summary>
    public int HeldCount => Volatile.Read(ref _heldCount);

    /// <summary>From now on no request is answered until <see cref="ReleaseAnswers"/> (a caller giving up still ends its wait).</summary>
    public void HoldAnswers()
    {
        lock (_gate)
            _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Answers every held request, and those that come later, as usual.</summary>
    public void ReleaseAnswers()
    {
        TaskCompletionSource? held;
        lock (_gate)
        {
            held = _held;
            _held = null;
        }
        held?.TrySetResult();
    }

    private Task? Held
    {
        get
        {
            lock (_gate)
                return _held?.Task;
        }
    }

    private LinearOutage? Outage
    {
        get
        {
            lock (_gate)
                return _outage;
        }
        set
        {
            lock (_gate)
                _outage = value;
        }
    }

    public static async Task<LinearDouble> StartAsync(string? apiKey = null)
    {
        var linear = new LinearDouble(apiKey ?? $"lin_api_{Guid.NewGuid():N}");
        await linear.ListenAsync(0);
        return linear;
    }

    public async Task GoDownAsync(LinearOutage outage)
    {
        Outage = outage;
        if (outage == LinearOutage.ConnectionRefused)
            await StopListeningAsync();
    }

    public async Task ComeBackAsync()
    {
        if (Outage == LinearOutage.ConnectionRefused)
            await ListenAsync(Port);
        Outage = null;
    }

    /// <summary>Allow <paramref name="requests"/> per <paramref name="window"/>, then refuse until the window ends.</summary>
    public void RateLimit(int requests, TimeSpan window, LinearRateLimitAnswer answer = LinearRateLimitAnswer.GraphQlError)
    {
        lock (_gate)
            _rateLimit = new RateLimitWindow(requests, window, answer);
    }

    public void LiftRateLimit()
    {
        lock (_gate)
            _rateLimit = null;
    }

    /// <summary>The next <paramref name="mutations"/> mutations commit, then their connection drops unanswered.</summary>
    public void DropAnswersAfterCommit(int mutations = 1) => Interlocked.Exchange(ref _dropAfterCommit, mutations);

    public async ValueTask DisposeAsync() => await StopListeningAsync();

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/graphql", (RequestDelegate)HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Port = new Uri(address).Port;
        _app = app;
    }

    private async Task StopListeningAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requestCount);
        switch (Outage)
        {
            case LinearOutage.ServiceUnavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>");
                return;
            case LinearOutage.ConnectionReset:
                context.Abort();
                return;
        }
        if (Held is { } held)
        {
            Interlocked.Increment(ref _heldCount);
            try
            {
                await held.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                Interlocked.Decrement(ref _heldCount);
            }
        }
        if (context.Request.Headers.Authorization != ApiKey)
        {
            await AnswerAsync(context, StatusCodes.Status401Unauthorized, Errors(LinearDoubleError.AuthenticationRequired()));
            return;
        }
        if (await IsRateLimitedAsync(context))
            return;

        var request = await ReadRequestAsync(context);
        if (request is null)
            return;
        var (document, operation, query, operationName, variables) = request.Value;

        var validation = await LinearDoubleSchema.Instance.ValidateAsync(document, operation, variables);
        if (!validation.IsValid)
        {
            await AnswerAsync(context, StatusCodes.Status400BadRequest,
                Errors([.. validation.Errors.Select(e => (ExecutionError)LinearDoubleError.ValidationFailed(e.Message))]));
            return;
        }
        var unsupported = RootFields(operation).Where(f => !LinearDoubleResolvers.Executed.Contains(f)).ToList();
        if (unsupported.Count > 0)
        {
            await AnswerAsync(context, StatusCodes.Status501NotImplemented,
                Errors(new ExecutionError($"The Linear double validates but does not execute {string.Join(", ", unsupported)}.")));
            return;
        }

        lock (_gate)
            _operations.Add(operationName ?? string.Join(",", RootFields(operation)));
        var result = await new DocumentExecuter().ExecuteAsync(new ExecutionOptions
        {
            Schema = LinearDoubleSchema.Instance.Schema,
            Query = query,
            Document = document,
            OperationName = operationName,
            Variables = variables,
            Root = Workspace,
            ThrowOnUnhandledException = false,
        });

        if (operation.Operation == OperationType.Mutation && TakeDropAfterCommit())
        {
            context.Abort();
            return;
        }
        var body = new Dictionary<string, object?>();
        if (result.Errors is { Count: > 0 } errors)
            body["errors"] = errors.Select(GraphQlJson.Error).ToList();
        body["data"] = GraphQlJson.Data(result);
        await AnswerAsync(context, StatusCodes.Status200OK, body);
    }

    private async Task<(GraphQLDocument, GraphQLOperationDefinition, string, string?, Inputs)?> ReadRequestAsync(HttpContext context)
    {
        try
        {
            using var json = await JsonDocument.ParseAsync(context.Request.Body);
            var root = json.RootElement;
            var query = root.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : null;
            var operationName = root.TryGetProperty("operationName", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (query is null)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, Errors(LinearDoubleError.ValidationFailed("Must provide query string.")));
                return null;
            }
            var document = Parser.Parse(query);
            var operation = LinearDoubleSchema.SelectOperation(document, operationName);
            if (operation is null)
            {
                await AnswerAsync(context, StatusCodes.Status400BadRequest, Errors(LinearDoubleError.ValidationFailed("Could not determine which operation to run.")));
                return null;
            }
            var variables = GraphQlJson.Variables(root.TryGetProperty("variables", out var v) ? v : null);
            return (document, operation, query, operationName, variables);
        }
        catch (JsonException e)
        {
            await AnswerAsync(context, StatusCodes.Status400BadRequest, Errors(LinearDoubleError.ValidationFailed($"Invalid JSON body: {e.Message}")));
            return null;
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException e)
        {
            await AnswerAsync(context, StatusCodes.Status400BadRequest, Errors(LinearDoubleError.ValidationFailed($"Syntax Error: {e.Message}")));
            return null;
        }
    }

    /// <summary>Counts the request against the window, sets Linear's rate-limit headers, and answers when over.</summary>
    private async Task<bool> IsRateLimitedAsync(HttpContext context)
    {
        RateLimitWindow.Decision decision;
        lock (_gate)
        {
            if (_rateLimit is null)
                return false;
            decision = _rateLimit.Take(DateTimeOffset.UtcNow);
        }
        var headers = context.Response.Headers;
        headers["X-RateLimit-Requests-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Requests-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Requests-Reset"] = decision.ResetAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        if (decision.Allowed)
            return false;

        Interlocked.Increment(ref _rateLimitedCount);
        var status = StatusCodes.Status400BadRequest;
        if (decision.Answer == LinearRateLimitAnswer.TooManyRequests)
        {
            status = StatusCodes.Status429TooManyRequests;
            headers.RetryAfter = Math.Max(1, (int)Math.Ceiling((decision.ResetAt - DateTimeOffset.UtcNow).TotalSeconds))
                .ToString(CultureInfo.InvariantCulture);
        }
        await AnswerAsync(context, status, Errors(LinearDoubleError.RateLimited()));
        return true;
    }

    private bool TakeDropAfterCommit()
    {
        while (true)
        {
            var remaining = Volatile.Read(ref _dropAfterCommit);
            if (remaining <= 0)
                return false;
            if (Interlocked.CompareExchange(ref _dropAfterCommit, remaining - 1, remaining) == remaining)
                return true;
        }
    }

    private static IEnumerable<string> RootFields(GraphQLOperationDefinition operation) =>
        operation.SelectionSet.Selections.OfType<GraphQLField>().Select(f => (string)f.Name.Value);

    private static Dictionary<string, object?> Errors(params ExecutionError[] errors) =>
        new() { ["errors"] = errors.Select(GraphQlJson.Error).ToList() };

    private static async Task AnswerAsync(HttpContext context, int status, Dictionary<string, object?> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json);
    }

    private sealed class RateLimitWindow(int limit, TimeSpan window, LinearRateLimitAnswer answer)
    {
        private int _used;
        private DateTimeOffset _resetAt = DateTimeOffset.MinValue;

        public Decision Take(DateTimeOffset now)
        {
            if (now >= _resetAt)
            {
                _used = 0;
                _resetAt = now + window;
            }
            var allowed = _used < limit;
            if (allowed)
                _used++;
            return new Decision(allowed, limit, limit - _used, _resetAt, answer);
        }

        public readonly record struct Decision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetAt, LinearRateLimitAnswer Answer);
    }
}
