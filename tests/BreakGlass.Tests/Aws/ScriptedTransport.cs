using System.Net;
using System.Text;

namespace BreakGlass.Tests.Aws;

/// <summary>
/// Sits between the signing handler and the network: answers the first requests with scripted failures
/// (IAM throttling, a dropped connection) and passes the rest through to the real server.
/// </summary>
internal sealed class ScriptedTransport(params Func<HttpResponseMessage>[] failures) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _requests;

    public int Requests => _requests;

    public static HttpResponseMessage IamThrottling() => new(HttpStatusCode.BadRequest)
    {
        Content = new StringContent(IamErrorBody.Sender("Throttling", "Rate exceeded", Guid.NewGuid().ToString()), Encoding.UTF8, "text/xml"),
    };

    public static HttpResponseMessage ConnectionReset() =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var attempt = Interlocked.Increment(ref _requests);
        return attempt <= failures.Length
            ? Task.FromResult(failures[attempt - 1]())
            : base.SendAsync(request, cancellationToken);
    }
}
