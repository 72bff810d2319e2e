using Microsoft.AspNetCore.Http.Features;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>
/// Forwards a request to moto unchanged — same method, raw path and query, headers (Host included, since
/// the SigV4 signature covers it) and body — and copies moto's answer back.
/// </summary>
internal sealed class MotoProxy(Uri motoEndpoint)
{
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Connection", "Proxy-Authorization", "Proxy-Authenticate",
        // Kestrel already answered any 100-continue; repeating it would only delay moto's answer.
        "Expect",
    };

    public Uri Endpoint { get; } = motoEndpoint;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <param name="bufferedBody">The request body if it was read already; otherwise it streams through.</param>
    /// <param name="keepBody">Return the response body in the outcome (errors always are).</param>
    /// <param name="rewrite">Replaces a kept successful response body before it is returned and sent.</param>
    public async Task<PendingAnswer> ForwardAsync(
        HttpContext context, byte[]? bufferedBody, bool keepBody, string service, Func<byte[], byte[]>? rewrite = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), TargetOf(context));
        request.Content = ContentOf(context.Request, bufferedBody);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHopHeaders.Contains(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }
        request.Headers.Host = context.Request.Host.Value;

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        try
        {
            var status = (int)response.StatusCode;
            var requestId = FirstHeader(response, "x-amzn-RequestId") ?? FirstHeader(response, "x-amz-request-id");
            if (status < 400 && !keepBody)
            {
                return new PendingAnswer(new CallOutcome(status, null, null, requestId),
                    async (answer, cancellation) =>
                    {
                        CopyStatusAndHeaders(response, answer);
                        await response.Content.CopyToAsync(answer.Body, cancellation);
                    },
                    response);
            }
            var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
            if (status < 400 && rewrite is not null) body = rewrite(body);
            var (code, message) = status < 400 ? (null, null) : ErrorReader.Read(status, body, service);
            return new PendingAnswer(new CallOutcome(status, code, message, requestId, status < 400 ? body : null),
                async (answer, cancellation) =>
                {
                    CopyStatusAndHeaders(response, answer);
                    answer.ContentLength = body.Length;
                    await answer.Body.WriteAsync(body, cancellation);
                },
                response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static void CopyStatusAndHeaders(HttpResponseMessage from, HttpResponse to)
    {
        to.StatusCode = (int)from.StatusCode;
        foreach (var (name, values) in from.Headers.Concat(from.Content.Headers))
        {
            if (!HopByHopHeaders.Contains(name)) to.Headers[name] = values.ToArray();
        }
    }

    private Uri TargetOf(HttpContext context)
    {
        // The raw target, not the decoded path: S3 keys and signatures depend on the exact encoding.
        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        return new Uri(Endpoint.GetLeftPart(UriPartial.Authority) + rawTarget,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
    }

    private static HttpContent? ContentOf(HttpRequest request, byte[]? bufferedBody)
    {
        if (bufferedBody is not null) return new ByteArrayContent(bufferedBody);
        if (request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any())
        {
            // An empty body still carries its content headers (an S3 CreateBucket's Content-Type and
            // Content-Length: 0), and the signature may cover them.
            return request.ContentLength == 0 || request.ContentType is not null ? new ByteArrayContent([]) : null;
        }
        var content = new StreamContent(request.Body);
        content.Headers.ContentLength = request.ContentLength;
        return content;
    }

    private static string? FirstHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
