using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Errors;

/// <summary>Every 401, 403 and malformed-JSON 400 says what to do, and one request's problems come back together.</summary>
public sealed class ProblemDetailTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    private const string GoodBody = """{"role":"prod-admin","durationMinutes":30,"reason":"database is on fire"}""";

    [Fact]
    public async Task WithoutATokenTheAnswerSaysToSignIn()
    {
        using var anonymous = fixture.Client(null);

        var detail = await ProblemDetailAsync(await anonymous.GetAsync("/api/grants"), HttpStatusCode.Unauthorized);

        Assert.Contains("No bearer token was sent: sign in", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredTokenIsToldToSignInAgain()
    {
        var expired = fixture.Idp.Signer.Mint(TestIdentityProvider.Issuer, TestIdentityProvider.Audience, TestIdentityProvider.NewUser(),
            [TestIdentityProvider.RequesterGroup], TimeSpan.FromMinutes(10), DateTime.UtcNow.AddHours(-1));
        using var client = fixture.Client(expired);

        var response = await client.GetAsync("/api/grants");

        Assert.Contains("expired: sign in again", await ProblemDetailAsync(response, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
        Assert.Contains(response.Headers.WwwAuthenticate, header => header.Scheme == "Bearer");
    }

    [Fact]
    public async Task AForeignTokenIsToldToSignInAgain()
    {
        var foreign = new TestIdentityProvider().Requester(TestIdentityProvider.NewUser());
        using var client = fixture.Client(foreign);

        Assert.Contains("not accepted", await ProblemDetailAsync(await client.GetAsync("/api/grants"), HttpStatusCode.Unauthorized), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AForbiddenActionNamesTheGroupItNeeds()
    {
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var detail = await ProblemDetailAsync(await requester.GetAsync("/api/reviews"), HttpStatusCode.Forbidden);

        Assert.Contains($"This needs the role reviewer (IdP group '{TestIdentityProvider.ReviewerGroup}', mapped by Auth:Groups:Reviewer)", detail, StringComparison.Ordinal);
        Assert.Contains("Your token gives you the role requester", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedJsonSaysWhereItBroke()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var response = await client.PostAsync("/api/grants", new StringContent("{\n  \"role\": \"prod-admin\",\n  \"durationMinutes\": 30,,\n}", Encoding.UTF8, "application/json"));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.BadRequest);
        Assert.StartsWith("The request body is not valid JSON at line 3, position ", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValueOfTheWrongTypeNamesItsFieldWithoutDotNetTypeNames()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var response = await client.PostAsync("/api/grants", new StringContent("""{"role":"prod-admin","durationMinutes":"thirty"}""", Encoding.UTF8, "application/json"));

        var detail = await ProblemDetailAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("(field $.durationMinutes): the value has the wrong type for this field.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Nullable", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryProblemOfOneRequestIsReportedTogether()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/grants")
        {
            Content = new StringContent("""{"role":"","durationMinutes":0,"reason":"short"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "");

        var detail = await ProblemDetailAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.All(["'Idempotency-Key'", "'role'", "'durationMinutes'", "'reason'"], field => Assert.Contains(field, detail, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task AnEmptyIdempotencyKeyIsRefusedAndIssuesNothing(string key)
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/grants") { Content = new StringContent(GoodBody, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);

        var detail = await ProblemDetailAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);

        Assert.Contains("'Idempotency-Key' must be one value of 1-200 printable characters when sent", detail, StringComparison.Ordinal);
        Assert.Contains("it was empty", detail, StringComparison.Ordinal);
        Assert.Equal(0L, await Database.GrantCountAsync(fixture, engineer));
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (string?)JsonNode.Parse(body)!["detail"] ?? "";
    }
}
