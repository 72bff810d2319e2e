using System.Net;
using BreakGlass.Tickets.Linear;

namespace BreakGlass.Tests.Linear;

/// <summary>Answers the double does not produce but Linear can: classified the way @linear/sdk does.</summary>
public sealed class LinearErrorsTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("usage limit exceeded", null, nameof(LinearErrorKind.Forbidden))]
    [InlineData("feature not accessible", null, nameof(LinearErrorKind.Forbidden))]
    [InlineData("forbidden", "FORBIDDEN", nameof(LinearErrorKind.Forbidden))]
    [InlineData("lock timeout", null, nameof(LinearErrorKind.Transient))]
    [InlineData("internal error", "INTERNAL_SERVER_ERROR", nameof(LinearErrorKind.Transient))]
    [InlineData("invalid input", "INPUT_ERROR", nameof(LinearErrorKind.InvalidInput))]
    [InlineData(null, "RATELIMITED", nameof(LinearErrorKind.RateLimited))]
    [InlineData("authentication error", null, nameof(LinearErrorKind.Authentication))]
    public void GraphQlErrorsOnHttp200AreClassifiedByTheirExtensions(string? type, string? code, string expected)
    {
        var body = $$$"""{"errors":[{"message":"m","extensions":{"type":{{{Json(type)}}},"code":{{{Json(code)}}}}}],"data":null}""";

        var error = LinearErrors.FromResponse(HttpStatusCode.OK, Headers(), body, Now);

        Assert.Equal(expected, error?.Kind.ToString());
    }

    [Fact]
    public void EntityNotFoundIsNotFoundWithLinearsWording()
    {
        const string body = """
            {"errors":[{"message":"Entity not found: Issue","path":["issue"],"extensions":{"type":"invalid input","code":"INPUT_ERROR","statusCode":400,"userError":true,"userPresentableMessage":"Could not find referenced Issue."}}],"data":null}
            """;

        var error = LinearErrors.FromResponse(HttpStatusCode.OK, Headers(), body, Now);

        Assert.Equal(LinearErrorKind.NotFound, error?.Kind);
        Assert.Equal("Linear: Could not find referenced Issue. (INPUT_ERROR)", error?.Message);
        Assert.Equal("INPUT_ERROR", error?.Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadGateway, nameof(LinearErrorKind.Transient))]
    [InlineData(HttpStatusCode.RequestTimeout, nameof(LinearErrorKind.Transient))]
    [InlineData(HttpStatusCode.Unauthorized, nameof(LinearErrorKind.Authentication))]
    [InlineData(HttpStatusCode.Forbidden, nameof(LinearErrorKind.Forbidden))]
    [InlineData(HttpStatusCode.TooManyRequests, nameof(LinearErrorKind.RateLimited))]
    [InlineData(HttpStatusCode.NotFound, nameof(LinearErrorKind.InvalidInput))]
    public void AnAnswerWithoutGraphQlErrorsIsClassifiedByItsStatus(HttpStatusCode status, string expected)
    {
        var error = LinearErrors.FromResponse(status, Headers(), "<html>error</html>", Now);

        Assert.Equal(expected, error?.Kind.ToString());
        Assert.Equal((int)status, error?.HttpStatus);
    }

    [Fact]
    public void DataWithoutErrorsIsNoError() =>
        Assert.Null(LinearErrors.FromResponse(HttpStatusCode.OK, Headers(), """{"data":{"issue":null}}""", Now));

    [Fact]
    public void RetryAfterPrefersTheRetryAfterHeader()
    {
        var headers = Headers(("Retry-After", "42"), ("X-RateLimit-Requests-Reset", Now.AddSeconds(5).ToUnixTimeMilliseconds().ToString()));

        var error = LinearErrors.FromResponse(HttpStatusCode.TooManyRequests, headers, "", Now);

        Assert.Equal(TimeSpan.FromSeconds(42), error?.RetryAfter);
    }

    [Fact]
    public void RetryAfterFallsBackToTheRequestsResetInEpochMilliseconds()
    {
        var headers = Headers(("X-RateLimit-Requests-Reset", Now.AddSeconds(90).ToUnixTimeMilliseconds().ToString()));
        const string body = """{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED"}}]}""";

        var error = LinearErrors.FromResponse(HttpStatusCode.BadRequest, headers, body, Now);

        Assert.Equal(TimeSpan.FromSeconds(90), error?.RetryAfter);
    }

    [Fact]
    public void RetryAfterReadsAResetInEpochSecondsAndTheComplexityReset()
    {
        var headers = Headers(("X-RateLimit-Complexity-Reset", Now.AddSeconds(30).ToUnixTimeSeconds().ToString()));

        var error = LinearErrors.FromResponse(HttpStatusCode.TooManyRequests, headers, "", Now);

        Assert.Equal(TimeSpan.FromSeconds(30), error?.RetryAfter);
    }

    [Fact]
    public void AnErrorThatIsNotARateLimitHasNoRetryAfter()
    {
        var error = LinearErrors.FromResponse(HttpStatusCode.ServiceUnavailable, Headers(("Retry-After", "5")), "", Now);

        Assert.Null(error?.RetryAfter);
    }

    private static string Json(string? value) => value is null ? "null" : $"\"{value}\"";

    private static System.Net.Http.Headers.HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers)
            response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }
}
