using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Web;

internal sealed record SigninTokenRequest(string Url, string AccessKeyId, string SecretAccessKey, string SessionToken, int SessionDuration);

/// <summary>
/// AWS's console federation endpoint as BreakGlass calls it: <c>getSigninToken</c> with the session's credentials
/// (checked for shape and the 900-43200 s <c>SessionDuration</c> bounds), answering a sign-in token.
/// </summary>
internal sealed class FederationDouble : IDisposable
{
    private readonly HttpListener _listener = new();

    public FederationDouble()
    {
        var port = FreePort.Next();
        Url = new Uri($"http://127.0.0.1:{port}/federation");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = ServeAsync();
    }

    public Uri Url { get; }

    public ConcurrentQueue<SigninTokenRequest> Requests { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception stopped) when (stopped is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var form = System.Web.HttpUtility.ParseQueryString(await reader.ReadToEndAsync());
            var (status, body) = Answer(context.Request, form);
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string Body) Answer(HttpListenerRequest request, System.Collections.Specialized.NameValueCollection form)
    {
        if (request.HttpMethod != "POST" || form["Action"] != "getSigninToken") return (400, """{"error":"expected a POST of Action=getSigninToken"}""");
        if (!int.TryParse(form["SessionDuration"], out var duration) || duration is < 900 or > 43_200) return (400, """{"error":"SessionDuration must be 900-43200"}""");
        using var session = JsonDocument.Parse(form["Session"] ?? "{}");
        var root = session.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var value) ? value.GetString() : null;
        if (Text("sessionId") is not { } id || Text("sessionKey") is not { } key || Text("sessionToken") is not { } token)
        {
            return (400, """{"error":"Session needs sessionId, sessionKey and sessionToken"}""");
        }
        Requests.Enqueue(new SigninTokenRequest(request.Url!.ToString(), id, key, token, duration));
        return (200, JsonSerializer.Serialize(new { SigninToken = "signin-" + Guid.NewGuid().ToString("N") }));
    }

    public void Dispose() => _listener.Close();
}
