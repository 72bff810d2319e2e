using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace BreakGlass.Tickets.Linear;

/// <summary>
/// Typed access to the few Linear GraphQL operations BreakGlass needs. Creations carry client-chosen ids
/// (or, for attachments, Linear's own URL de-duplication), so every call is safe to repeat. A transient
/// failure is retried twice within the call; anything longer is the caller's schedule to decide.
/// </summary>
internal sealed partial class LinearClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly LinearOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LinearClient> _logger;
    private readonly ResiliencePipeline _retry;

    public LinearClient(HttpClient http, IOptions<LinearOptions> options, TimeProvider time, ILogger<LinearClient> logger)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<LinearException>(e => e.Kind == LinearErrorKind.Transient),
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
            })
            .Build();
    }

    /// <summary>The issue named by an identifier or Linear URL, or null when Linear says it does not exist.</summary>
    /// <exception cref="ArgumentException">Not an identifier or Linear issue URL (check with <see cref="LinearIssueReference"/> first).</exception>
    public async Task<LinearIssue?> FindIssueAsync(string identifierOrUrl, CancellationToken cancellationToken)
    {
        if (!LinearIssueReference.TryParse(identifierOrUrl, out var identifier))
            throw new ArgumentException("Not a Linear issue identifier or issue URL.", nameof(identifierOrUrl));
        return await IssueOrNullAsync(identifier, cancellationToken);
    }

    public Task<LinearIssue?> GetIssueByIdAsync(Guid id, CancellationToken cancellationToken) =>
        IssueOrNullAsync(id.ToString(), cancellationToken);

    /// <summary>
    /// Files an issue under <paramref name="id"/>. When an earlier attempt already created it (its answer was
    /// lost), Linear refuses the repeated id and the existing issue is returned instead: never two issues.
    /// </summary>
    public async Task<LinearIssue> CreateIssueAsync(
        Guid id, string title, string description, string teamId, IReadOnlyCollection<string> labelIds, LinearPriority priority,
        CancellationToken cancellationToken)
    {
        var input = new { id = id.ToString(), teamId, title, description, labelIds, priority = (int)priority };
        return await CreateOnceAsync(
            async () => Payload<IssueData>(
                await SendAsync(LinearDocuments.IssueCreate, new { input }, cancellationToken), "issueCreate", "issue").ToIssue(),
            () => GetIssueByIdAsync(id, cancellationToken));
    }

    /// <summary>Posts a comment under <paramref name="commentId"/>; a comment already posted under it counts as done.</summary>
    public async Task<LinearComment> CreateCommentAsync(Guid commentId, string issueId, string body, CancellationToken cancellationToken)
    {
        var input = new { id = commentId.ToString(), issueId, body };
        return await CreateOnceAsync(
            async () => Payload<CommentData>(
                await SendAsync(LinearDocuments.CommentCreate, new { input }, cancellationToken), "commentCreate", "comment").ToComment(),
            () => CommentOrNullAsync(commentId, cancellationToken));
    }

    /// <summary>Links <paramref name="url"/> to the issue. Linear keeps one attachment per URL and issue, so a repeat updates it.</summary>
    public async Task<LinearAttachment> CreateAttachmentAsync(string issueId, Uri url, string title, string? subtitle, CancellationToken cancellationToken)
    {
        var input = new { issueId, url = url.AbsoluteUri, title, subtitle };
        var data = await SendAsync(LinearDocuments.AttachmentCreate, new { input }, cancellationToken);
        var attachment = Payload<AttachmentData>(data, "attachmentCreate", "attachment");
        return new LinearAttachment(attachment.Id, new Uri(attachment.Url));
    }

    /// <summary>The team, or null when Linear says no such team is visible to this key.</summary>
    public async Task<LinearTeam?> ResolveTeamAsync(string teamId, CancellationToken cancellationToken)
    {
        try
        {
            var data = await SendAsync(LinearDocuments.Team, new { id = teamId }, cancellationToken);
            var team = Read<TeamData>(data, "team");
            return new LinearTeam(team.Id, team.Key, team.Name);
        }
        catch (LinearException e) when (e.Kind == LinearErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Label ids by name for those of <paramref name="names"/> usable in the team: its own labels win over
    /// workspace labels of the same name. Names not found are absent from the result.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> ResolveLabelIdsAsync(
        string teamId, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var data = await SendAsync(LinearDocuments.IssueLabels, new { names }, cancellationToken);
        var labels = Read<LabelConnectionData>(data, "issueLabels").Nodes;
        return labels
            .Where(label => label.Team is null || label.Team.Id == teamId)
            .OrderBy(label => label.Team is null)
            .GroupBy(label => label.Name)
            .ToDictionary(group => group.Key, group => group.First().Id);
    }

    /// <summary>
    /// Runs a creation that carries a client-chosen id. Linear refuses an id it has already seen, so a refusal
    /// may mean an earlier attempt landed and only its answer was lost: then the entity found by id is the result.
    /// </summary>
    private static async Task<T> CreateOnceAsync<T>(Func<Task<T>> create, Func<Task<T?>> findExisting) where T : class
    {
        try
        {
            return await create();
        }
        catch (LinearException e) when (e.Kind == LinearErrorKind.InvalidInput)
        {
            if (await findExisting() is { } existing)
                return existing;
            throw;
        }
    }

    private async Task<LinearIssue?> IssueOrNullAsync(string idOrIdentifier, CancellationToken cancellationToken)
    {
        try
        {
            var data = await SendAsync(LinearDocuments.Issue, new { id = idOrIdentifier }, cancellationToken);
            return Read<IssueData>(data, "issue").ToIssue();
        }
        catch (LinearException e) when (e.Kind == LinearErrorKind.NotFound)
        {
            return null;
        }
    }

    private async Task<LinearComment?> CommentOrNullAsync(Guid commentId, CancellationToken cancellationToken)
    {
        try
        {
            var data = await SendAsync(LinearDocuments.Comment, new { id = commentId.ToString() }, cancellationToken);
            return Read<CommentData>(data, "comment").ToComment();
        }
        catch (LinearException e) when (e.Kind == LinearErrorKind.NotFound)
        {
            return null;
        }
    }

    private async Task<JsonElement> SendAsync(string document, object variables, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(
            static async (state, token) => await state.Client.SendOnceAsync(state.Document, state.Variables, token),
            (Client: this, Document: document, Variables: variables),
            cancellationToken);

    private async ValueTask<JsonElement> SendOnceAsync(string document, object variables, CancellationToken cancellationToken)
    {
        if (!_options.IsConfigured)
            throw new InvalidOperationException("Linear is not configured (Linear:ApiKey and Linear:TeamId).");
        var operation = OperationName().Match(document).Groups[1].Value;
        var started = _time.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.ApiUrl)
        {
            Content = JsonContent.Create(new { query = document, operationName = operation, variables }, options: Json),
        };
        // Linear takes a personal key bare and an OAuth token as "Bearer …"; the configured value is sent as is.
        request.Headers.TryAddWithoutValidation("Authorization", _options.ApiKey);
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = LinearErrors.FromResponse(response.StatusCode, response.Headers, body, _time.GetUtcNow());
            if (error is not null)
            {
                LogFailed(operation, error.Kind, error.HttpStatus, error.Message);
                throw error;
            }
            LogAnswered(operation, (int)_time.GetElapsedTime(started).TotalMilliseconds);
            return Data(body);
        }
        catch (HttpRequestException e)
        {
            LogFailed(operation, LinearErrorKind.Transient, null, e.Message);
            throw new LinearException(LinearErrorKind.Transient, $"Linear could not be reached: {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(operation, LinearErrorKind.Transient, null, "timed out");
            throw new LinearException(LinearErrorKind.Transient, $"Linear did not answer within {_http.Timeout.TotalSeconds:0.#} s.", e);
        }
    }

    private static JsonElement Data(string body)
    {
        JsonElement data = default;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("data", out var value))
                data = value.Clone();
        }
        catch (JsonException e)
        {
            throw new LinearException(LinearErrorKind.Transient, "Linear answered with something other than JSON.", e);
        }
        return data.ValueKind == JsonValueKind.Object
            ? data
            : throw new LinearException(LinearErrorKind.Transient, "Linear answered without data.");
    }

    private static T Read<T>(JsonElement data, string field) =>
        data.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.Deserialize<T>(Json) ?? throw Unexpected(field)
            : throw Unexpected(field);

    /// <summary>A mutation payload: <c>success</c> must be true and carry the created entity.</summary>
    private static T Payload<T>(JsonElement data, string mutation, string field)
    {
        if (!data.TryGetProperty(mutation, out var payload) || payload.ValueKind != JsonValueKind.Object)
            throw Unexpected(mutation);
        if (!payload.TryGetProperty("success", out var success) || success.ValueKind != JsonValueKind.True)
            throw new LinearException(LinearErrorKind.InvalidInput, $"Linear did not perform {mutation}.");
        return Read<T>(payload, field);
    }

    private static LinearException Unexpected(string field) =>
        new(LinearErrorKind.Transient, $"Linear's answer has no {field}.");

    [GeneratedRegex(@"^\s*(?:query|mutation)\s+(\w+)")]
    private static partial Regex OperationName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Linear {Operation} answered in {ElapsedMs} ms")]
    private partial void LogAnswered(string operation, int elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linear {Operation} failed ({Kind}, HTTP {Status}): {Reason}")]
    private partial void LogFailed(string operation, LinearErrorKind kind, int? status, string reason);

    private sealed record IssueData(string Id, string Identifier, string Url, string Title)
    {
        public LinearIssue ToIssue() => new(Id, Identifier, new Uri(Url), Title);
    }

    private sealed record CommentData(string Id, string Url)
    {
        public LinearComment ToComment() => new(Id, new Uri(Url));
    }

    private sealed record AttachmentData(string Id, string Url);

    private sealed record TeamData(string Id, string Key, string Name);

    private sealed record LabelConnectionData(IReadOnlyList<LabelData> Nodes);

    private sealed record LabelData(string Id, string Name, TeamRef? Team);

    private sealed record TeamRef(string Id);
}
