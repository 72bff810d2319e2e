using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BreakGlass.Observability;
using Polly;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>A thin client for CloudTrail's JSON 1.1 API: the one operation evidence collection needs.</summary>
internal sealed class CloudTrailClient(HttpClient http, Uri endpoint, ResiliencePipeline retry)
{
    public const int MaxPageSize = 50;
    private const string LookupEventsTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents";

    /// <summary>Evidence collection runs in the background: it can afford to wait out a throttled account.</summary>
    private static readonly AwsRetryLimits LookupRetryLimits = new(8, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    public static CloudTrailClient Create(AwsEnvironment aws, TimeProvider timeProvider, ILogger logger)
    {
        var signing = aws.SigningHandler("cloudtrail", new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return new CloudTrailClient(new HttpClient(signing), aws.EndpointFor("cloudtrail"), AwsRetry.Pipeline(
            error => error is CloudTrailException { IsTransient: true }, timeProvider, logger, LookupRetryLimits, "cloudtrail:LookupEvents"));
    }

    /// <summary>One LookupEvents call, no retry.</summary>
    /// <exception cref="CloudTrailException">CloudTrail answered with an error.</exception>
    public async Task<LookupEventsResponse> LookupEventsAsync(LookupEventsRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint);
        message.Headers.Add("X-Amz-Target", LookupEventsTarget);
        message.Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, CloudTrailJsonContext.Default.LookupEventsRequest))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1") },
        };
        // Headers first, then deserialize straight from the socket: a page of 50 full records
        // is never held as one string.
        using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var error = CloudTrailException.FromResponse(response.StatusCode, body, HeaderValue(response, "x-amzn-RequestId"), HeaderValue(response, "x-amzn-ErrorType"));
            if (error.IsThrottling) BreakGlassMetrics.CloudTrailThrottled();
            throw error;
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonSerializer.DeserializeAsync(stream, CloudTrailJsonContext.Default.LookupEventsResponse, cancellationToken)
            ?? throw new JsonException("CloudTrail answered LookupEvents with an empty body");
    }

    /// <summary>
    /// Every event matching <paramref name="attribute"/> (CloudTrail takes one) between <paramref name="start"/> and
    /// <paramref name="end"/> (inclusive), newest first, following NextToken. Each request waits on <paramref name="rateGate"/>, retries included;
    /// throttling and server errors are retried with jittered exponential backoff.
    /// </summary>
    public async IAsyncEnumerable<TrailEvent> LookupAllAsync(
        LookupAttribute attribute,
        DateTimeOffset start,
        DateTimeOffset end,
        IRequestRateGate rateGate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new LookupEventsRequest
        {
            LookupAttributes = [attribute],
            StartTime = start,
            EndTime = end,
            MaxResults = MaxPageSize,
        };
        do
        {
            var page = await retry.ExecuteAsync(
                static async (state, token) =>
                {
                    await state.rateGate.WaitAsync(token);
                    return await state.client.LookupEventsAsync(state.request, token);
                },
                (client: this, rateGate, request),
                cancellationToken);
            foreach (var trailEvent in page.Events)
            {
                yield return trailEvent;
            }
            request = request with { NextToken = page.NextToken };
        }
        while (request.NextToken is not null);
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
