using System.Net;

namespace BreakGlass.Tests.Observability;

internal static class MetricsScrape
{
    /// <summary>Scrapes <c>/metrics</c> as Prometheus would and parses what it answered.</summary>
    public static async Task<Exposition> ScrapeAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"scrape answered {(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Exposition.Parse(body);
    }
}
