using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BreakGlass.DevIssuer;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Auth;

public sealed class AuthorizationMatrixTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    private const string AnyGrant = "/api/grants/0198c0de-0000-7000-8000-000000000001";

    /// <summary>Every endpoint, and the roles allowed to reach it (a wrong-group caller gets 403).</summary>
    public static TheoryData<string, string, string> Endpoints => new()
    {
        { "GET", "/api/roles", "requester" },
        { "POST", "/api/grants", "requester" },
        { "POST", AnyGrant + "/credentials", "requester" },
        { "GET", "/api/grants", "requester,reviewer,auditor" },
        { "GET", AnyGrant, "requester,reviewer,auditor" },
        { "POST", AnyGrant + "/revoke", "requester,reviewer" },
        { "POST", "/api/roles/no-such-role/revoke-all", "reviewer" },
        { "GET", AnyGrant + "/evidence", "reviewer,auditor" },
        { "GET", "/api/audit/verify", "auditor" },
        { "GET", "/api/audit/grants", "auditor" },
        { "GET", "/api/audit/grants/0198c0de-0000-7000-8000-000000000001", "auditor" },
        { "GET", "/api/audit/grants/0198c0de-0000-7000-8000-000000000001/export", "auditor" },
        { "GET", "/api/reviews", "reviewer" },
        { "POST", "/api/reviews/0198c0de-0000-7000-8000-000000000001/decision", "reviewer" },
        { "GET", "/api/preflight", "reviewer,auditor" },
        { "POST", "/api/drills", "reviewer" },
        { "GET", "/api/drills", "reviewer,auditor" },
        { "GET", "/api/drills/0198c0de-0000-7000-8000-000000000001", "reviewer,auditor" },
    };

    public static IEnumerable<object[]> BadTokens =>
        from endpoint in Endpoints
        from token in new[] { "none", "expired", "wrong-key", "alg-none", "wrong-audience", "wrong-issuer", "not-yet-valid", "garbage" }
        select new[] { endpoint[0], endpoint[1], token };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task EveryEndpointRefusesABadTokenWithA401Problem(string method, string path, string token)
    {
        using var client = fixture.Client(BadToken(token));

        var response = await SendAsync(client, method, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static IEnumerable<object[]> WrongGroups =>
        from endpoint in Endpoints
        from role in new[] { "requester", "reviewer", "auditor", "nobody" }
        where !((string)endpoint[2]).Split(',').Contains(role)
        select new[] { endpoint[0], endpoint[1], role };

    [Theory]
    [MemberData(nameof(WrongGroups))]
    public async Task EveryEndpointRefusesAWrongGroupWithA403Problem(string method, string path, string role)
    {
        using var client = fixture.Client(TokenFor(role));

        var response = await SendAsync(client, method, path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static IEnumerable<object[]> AllowedGroups =>
        from endpoint in Endpoints
        from role in ((string)endpoint[2]).Split(',')
        select new[] { endpoint[0], endpoint[1], role };

    [Theory]
    [MemberData(nameof(AllowedGroups))]
    public async Task EveryEndpointLetsItsRolesThrough(string method, string path, string role)
    {
        using var client = fixture.Client(TokenFor(role));

        var response = await SendAsync(client, method, path);

        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((int)response.StatusCode < 500, $"{method} {path} as {role}: {(int)response.StatusCode}");
    }

    [Fact]
    public async Task HealthAndTheOpenApiDocumentNeedNoToken()
    {
        using var client = fixture.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var openApi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/api/grants", out _));
    }

    [Fact]
    public async Task WithOnlyAStaticKeyFileTheSignInConfigurationSaysThereIsNowhereToSignIn()
    {
        using var client = fixture.Client(null);

        var response = await client.GetAsync("/.well-known/breakglass-configuration");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Sign-in is not configured", problem.GetProperty("title").GetString());
        Assert.Contains("Auth:SigningKeysFile", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOpenApiDocumentIsValidAndListsEveryEndpoint()
    {
        using var client = fixture.Client(null);
        var document = await client.GetStringAsync("/openapi/v1.json");
        var path = Path.Combine(Path.GetTempPath(), $"breakglass-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, document);

        var verdict = await ChildProcess.RunAsync("openapi-spec-validator", [path]);

        Assert.Contains("OK", verdict);
        var paths = JsonDocument.Parse(document).RootElement.GetProperty("paths");
        foreach (var endpoint in Endpoints)
        {
            var template = ((string)endpoint[1]).Replace("0198c0de-0000-7000-8000-000000000001", "{id}", StringComparison.Ordinal)
                .Replace("no-such-role", "{name}", StringComparison.Ordinal);
            Assert.True(paths.EnumerateObject().Any(candidate => Normalise(candidate.Name) == Normalise(template)), $"{template} is not in the OpenAPI document");
        }
    }

    [Fact]
    public async Task EveryEndpointDeclaresItsProblemResponsesInTheOpenApiDocument()
    {
        using var client = fixture.Client(null);
        var paths = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement.GetProperty("paths");

        var operations = paths.EnumerateObject()
            .Where(path => path.Name.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Name: $"{operation.Name.ToUpperInvariant()} {Normalise(path.Name)}", Responses: operation.Value.GetProperty("responses"))))
            .ToList();

        Assert.NotEmpty(operations);
        foreach (var (name, responses) in operations)
        {
            foreach (var status in new[] { "401", "403", "503" })
            {
                Assert.True(responses.TryGetProperty(status, out var response), $"{name} does not declare {status}");
                Assert.True(response.GetProperty("content").TryGetProperty("application/problem+json", out _), $"{name} {status} is not problem+json");
            }
        }
        string[] Declared(string operation) =>
            operations.Single(candidate => candidate.Name == operation).Responses.EnumerateObject().Select(response => response.Name).ToArray();
        Assert.Superset(new HashSet<string> { "400", "409", "422", "429", "502" }, Declared("POST /api/grants").ToHashSet());
        Assert.Contains("404", Declared("GET /api/grants/{}"));
        Assert.Contains("409", Declared("POST /api/reviews/{}/decision"));
    }

    // Route parameter names differ between groups ({id}, {grantId}); the shape is what clients depend on.
    private static string Normalise(string template) =>
        System.Text.RegularExpressions.Regex.Replace(template.TrimEnd('/'), "\\{[^}]+\\}", "{}");

    [Fact]
    public async Task ATokenWithoutTheUserClaimIsRefused()
    {
        using var client = fixture.Client(fixture.Idp.Signer.Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, "", [TestIdentityProvider.RequesterGroup], TimeSpan.FromMinutes(5)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/roles")).StatusCode);
    }

    private string TokenFor(string role) => role switch
    {
        "requester" => fixture.Idp.Requester(TestIdentityProvider.NewUser()),
        "reviewer" => fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")),
        "auditor" => fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")),
        _ => fixture.Idp.Token(TestIdentityProvider.NewUser("nobody"), "marketing"),
    };

    private string? BadToken(string kind)
    {
        var user = TestIdentityProvider.NewUser();
        string[] groups = [TestIdentityProvider.RequesterGroup, TestIdentityProvider.ReviewerGroup, TestIdentityProvider.AuditorGroup];
        return kind switch
        {
            "none" => null,
            "expired" => fixture.Idp.Signer.Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, user, groups, TimeSpan.FromMinutes(10), DateTime.UtcNow.AddHours(-2)),
            "not-yet-valid" => fixture.Idp.Signer.Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, user, groups, TimeSpan.FromMinutes(10), DateTime.UtcNow.AddHours(2)),
            "wrong-key" => DevTokenIssuer.Create(Path.Combine(Path.GetTempPath(), "bg-other-idp-" + Guid.NewGuid().ToString("N")))
                .Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, user, groups, TimeSpan.FromMinutes(10)),
            "alg-none" => UnsignedToken(user, groups),
            "wrong-audience" => fixture.Idp.Signer.Mint(TestIdentityProvider.Issuer, "some-other-api", user, groups, TimeSpan.FromMinutes(10)),
            "wrong-issuer" => fixture.Idp.Signer.Mint("https://evil.example.com/", TestIdentityProvider.Audience, user, groups, TimeSpan.FromMinutes(10)),
            "garbage" => "not.a.token",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static string UnsignedToken(string user, string[] groups)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = JsonSerializer.Serialize(new
        {
            iss = TestIdentityProvider.Issuer, aud = TestIdentityProvider.Audience, sub = user, email = user, groups,
            iat = now, nbf = now, exp = now + 600,
        });
        return $"{Base64Url("""{"alg":"none","typ":"JWT"}""")}.{Base64Url(payload)}.";
    }

    private static string Base64Url(string value) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path) => method switch
    {
        "GET" => client.GetAsync(path),
        _ when path.EndsWith("/revoke", StringComparison.Ordinal) || path.EndsWith("/revoke-all", StringComparison.Ordinal) =>
            client.PostAsJsonAsync(path, new { reason = "authorization matrix" }),
        _ when path.EndsWith("/decision", StringComparison.Ordinal) => client.PostAsJsonAsync(path, new { decision = "approved", notes = "matrix", evidenceSha256 = new string('0', 64) }),
        _ when path == "/api/grants" => client.BreakGlassAsync(BreakGlassFixture.AdminRole, reason: "authorization matrix test"),
        _ => client.PostAsync(path, null),
    };
}
