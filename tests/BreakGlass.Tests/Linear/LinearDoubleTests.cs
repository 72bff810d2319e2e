using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using BreakGlass.Tickets.Linear;
using GraphQL;
using Xunit.Abstractions;

namespace BreakGlass.Tests.Linear;

public sealed class LinearDoubleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LinearDouble _linear = null!;
    private readonly HttpClient _http = new();

    public async Task InitializeAsync() => _linear = await LinearDouble.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _linear.DisposeAsync();
    }

    public static TheoryData<string> Documents() =>
        [.. typeof(LinearDocuments).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => field.Name)];

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task EveryBreakGlassDocumentValidatesAgainstLinearsSchema(string name)
    {
        var document = (string)typeof(LinearDocuments).GetField(name)!.GetRawConstantValue()!;

        var errors = await LinearDoubleSchema.Instance.ValidateAsync(document, null, new Inputs(SampleVariables[name]));

        Assert.Empty(errors.Select(e => e.Message));
        output.WriteLine($"schema: parsed in {LinearDoubleSchema.Instance.ParseTime.TotalMilliseconds:0} ms, built in {LinearDoubleSchema.Instance.BuildTime.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task ADocumentWithAFieldLinearDoesNotHaveIsRefusedAsAValidationFailure()
    {
        var (status, body) = await PostAsync("query Q($id: String!) { issue(id: $id) { id breakGlassLevel } }", new { id = "OPS-1" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("breakGlassLevel", error.GetProperty("message").GetString());
        Assert.Empty(_linear.Operations);
    }

    [Fact]
    public async Task AVariableOfTheWrongTypeIsRefusedAsAValidationFailure()
    {
        var team = _linear.Workspace.AddTeam("OPS", "Operations");

        var (status, body) = await PostAsync(LinearDocuments.IssueCreate,
            new { input = new { teamId = team.Id, title = "t", priority = "Urgent" } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("priority", error.GetProperty("message").GetString());
        Assert.Empty(_linear.Issues);
    }

    [Fact]
    public async Task AnInputFieldLinearDoesNotHaveIsRefused()
    {
        var team = _linear.Workspace.AddTeam("OPS", "Operations");

        var (status, body) = await PostAsync(LinearDocuments.IssueCreate,
            new { input = new { teamId = team.Id, title = "t", severity = 1 } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("severity", body.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Empty(_linear.Issues);
    }

    [Fact]
    public async Task AMissingIssueIsAnErrorOnHttp200WithNullData()
    {
        var (status, body) = await PostAsync(LinearDocuments.Issue, new { id = "OPS-404" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("Entity not found: Issue", error.GetProperty("message").GetString());
        Assert.Equal("issue", error.GetProperty("path")[0].GetString());
        Assert.Equal("INPUT_ERROR", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task ARequestWithoutTheApiKeyIsRefusedAsUnauthenticated()
    {
        var (status, body) = await PostAsync(LinearDocuments.Issue, new { id = "OPS-1" }, apiKey: "lin_api_wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("AUTHENTICATION_ERROR", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AReusedIssueIdIsRefused()
    {
        var team = _linear.Workspace.AddTeam("OPS", "Operations");
        var input = new { id = Guid.NewGuid().ToString(), teamId = team.Id, title = "t" };

        var (first, _) = await PostAsync(LinearDocuments.IssueCreate, new { input });
        var (second, body) = await PostAsync(LinearDocuments.IssueCreate, new { input });

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal("invalid input", body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("type").GetString());
        Assert.Single(_linear.Issues);
    }

    [Fact]
    public async Task AnOperationTheDoubleDoesNotExecuteIsRefusedAfterValidation()
    {
        var (status, body) = await PostAsync("query { viewer { id } }", new { });

        Assert.Equal(HttpStatusCode.NotImplemented, status);
        Assert.Contains("viewer", body.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string query, object variables, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _linear.Endpoint) { Content = JsonContent.Create(new { query, variables }) };
        request.Headers.TryAddWithoutValidation("Authorization", apiKey ?? _linear.ApiKey);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, body);
    }

    private static readonly Dictionary<string, Dictionary<string, object?>> SampleVariables = new()
    {
        [nameof(LinearDocuments.Issue)] = new() { ["id"] = "OPS-1" },
        [nameof(LinearDocuments.Comment)] = new() { ["id"] = Guid.NewGuid().ToString() },
        [nameof(LinearDocuments.Team)] = new() { ["id"] = Guid.NewGuid().ToString() },
        [nameof(LinearDocuments.IssueLabels)] = new() { ["names"] = new List<object?> { "break-glass" } },
        [nameof(LinearDocuments.IssueCreate)] = new()
        {
            ["input"] = new Dictionary<string, object?>
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["teamId"] = Guid.NewGuid().ToString(),
                ["title"] = "Break-glass: alice as admin",
                ["description"] = "**why**",
                ["labelIds"] = new List<object?> { Guid.NewGuid().ToString() },
                ["priority"] = 1,
            },
        },
        [nameof(LinearDocuments.CommentCreate)] = new()
        {
            ["input"] = new Dictionary<string, object?> { ["id"] = Guid.NewGuid().ToString(), ["issueId"] = "OPS-1", ["body"] = "issued" },
        },
        [nameof(LinearDocuments.AttachmentCreate)] = new()
        {
            ["input"] = new Dictionary<string, object?>
            {
                ["issueId"] = "OPS-1", ["url"] = "https://breakglass.example/grants/1", ["title"] = "Grant", ["subtitle"] = "active",
            },
        },
    };
}
