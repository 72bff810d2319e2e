using System.Net;
using System.Text.Json;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Observability;

public sealed class TelemetryTests(TelemetryFixture fixture) : IClassFixture<TelemetryFixture>
{
    private const string GrantIdAttribute = "breakglass.grant_id";

    [Fact]
    public async Task OneTraceSpansTheGrantRequestThroughTheStsCallAndTheDatabase()
    {
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var created = await (await engineer.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);
        var grantId = (string)created["id"]!;

        ReceivedSpan? assume = null, request = null, stsHttp = null;
        var received = await Eventually.TrueAsync(() =>
        {
            var spans = fixture.Collector.Spans.ToList();
            assume = spans.FirstOrDefault(span => span.Name == "sts AssumeRole" && span.Attribute(GrantIdAttribute) == grantId);
            if (assume is null) return false;
            var trace = spans.Where(span => span.TraceId == assume.TraceId).ToDictionary(span => span.SpanId);
            request = Ancestors(assume, trace).FirstOrDefault(span => span.Kind == SpanKind.Server);
            stsHttp = trace.Values.FirstOrDefault(span => span.ParentSpanId == assume.SpanId && span.Kind == SpanKind.Client);
            return request is not null && stsHttp is not null
                   && trace.Values.Any(span => span.Attribute("db.system.name") == "postgresql" || span.Attribute("db.system") == "postgresql");
        }, Eventually.Patience);

        Assert.True(received, $"no complete trace of the request through AssumeRole; spans: {string.Join(", ", fixture.Collector.Spans.Select(span => span.Name))}; requests: {string.Join(", ", fixture.Collector.Requests.Take(5))}");
        Assert.Equal("POST", request!.Attribute("http.request.method"));
        Assert.Equal("/api/grants", request.Attribute("http.route")?.TrimEnd('/'));
        Assert.Equal(grantId, request.Attribute(GrantIdAttribute));
        Assert.Equal("BreakGlass", assume!.Scope);
        // The SDK's HTTP call went to the AWS endpoint the service was given.
        Assert.StartsWith(fixture.AwsEndpoint.GetLeftPart(UriPartial.Authority), stsHttp!.Attribute("url.full"));
    }

    [Fact]
    public async Task EachLogLineAboutAGrantCarriesItsIdInTheJsonScope()
    {
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var created = await (await engineer.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);
        var grantId = (string)created["id"]!;

        // The "Glass broken" line, logged while the grant was issued.
        Assert.True(await Eventually.TrueAsync(() => fixture.Log.Any(line => IsGrantLine(line, grantId, "Glass broken")), Eventually.Patience),
            "no JSON log line about the grant carries its id in a scope");
    }

    [Fact]
    public async Task AnonymousScrapesAreServedWhenConfigured()
    {
        using var anonymous = fixture.Client(token: null);

        var scrape = await anonymous.ScrapeAsync();

        Assert.True(await Eventually.TrueAsync(async () => (await anonymous.ScrapeAsync()).Has("breakglass_open_grants"), Eventually.Patience));
        Assert.NotEmpty(scrape.Samples);
    }

    private static IEnumerable<ReceivedSpan> Ancestors(ReceivedSpan span, IReadOnlyDictionary<string, ReceivedSpan> trace)
    {
        for (var current = span; trace.TryGetValue(current.ParentSpanId, out var parent); current = parent) yield return parent;
    }

    private static bool IsGrantLine(string line, string grantId, string messageStart)
    {
        if (!line.StartsWith('{')) return false;
        using var entry = JsonDocument.Parse(line);
        var root = entry.RootElement;
        return root.TryGetProperty("Message", out var message) && message.GetString()?.StartsWith(messageStart, StringComparison.Ordinal) == true
               && root.TryGetProperty("Scopes", out var scopes)
               && scopes.EnumerateArray().Any(scope => scope.ValueKind == JsonValueKind.Object
                                                       && scope.TryGetProperty(GrantIdAttribute, out var id) && id.GetString() == grantId);
    }
}
