using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BreakGlass.Cli.SignIn;

namespace BreakGlass.Cli.Service;

/// <summary>The service's HTTP API as the engineer's commands need it; problem details become <see cref="CliException"/>s.</summary>
internal sealed class BreakGlassApi(Uri service, HttpClient http, SignInSession session)
{
    public Uri Service { get; } = service;

    public Task<RoleView[]> RolesAsync(CancellationToken cancellationToken) =>
        SendAsync<RoleView[]>(HttpMethod.Get, "api/roles", null, null, cancellationToken);

    /// <summary>The caller's own grants, newest first: a reviewer's CLI must never pick up someone else's grant.</summary>
    public Task<GrantView[]> GrantsAsync(int limit, CancellationToken cancellationToken) =>
        SendAsync<GrantView[]>(HttpMethod.Get, $"api/grants?limit={limit}&mine=true", null, null, cancellationToken);

    public Task<GrantView> GrantAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<GrantView>(HttpMethod.Get, $"api/grants/{id}", null, null, cancellationToken);

    public Task<GrantView> BreakGlassAsync(string role, int minutes, string reason, string? ticket, string idempotencyKey, CancellationToken cancellationToken) =>
        SendAsync<GrantView>(HttpMethod.Post, "api/grants", new { role, durationMinutes = minutes, reason, ticket }, idempotencyKey, cancellationToken);

    public Task<GrantView> FreshCredentialsAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<GrantView>(HttpMethod.Post, $"api/grants/{id}/credentials", null, null, cancellationToken);

    public Task<GrantView> EndAsync(Guid id, string reason, CancellationToken cancellationToken) =>
        SendAsync<GrantView>(HttpMethod.Post, $"api/grants/{id}/revoke", new { reason }, null, cancellationToken);

    /// <summary>The caller's newest Active grant on the role whose window is open, if any.</summary>
    public async Task<GrantView?> OpenGrantAsync(string role, DateTimeOffset now, CancellationToken cancellationToken) =>
        (await GrantsAsync(100, cancellationToken))
            .Where(grant => string.Equals(grant.Role, role, StringComparison.OrdinalIgnoreCase) && grant.IsOpenAt(now))
            .OrderByDescending(grant => grant.RequestedAt)
            .FirstOrDefault();

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var token = await session.AccessTokenAsync(cancellationToken);
        using var response = await SendOnceAsync(method, path, body, idempotencyKey, token, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var renewed = await session.RenewAfterRejectionAsync(cancellationToken);
            using var retried = await SendOnceAsync(method, path, body, idempotencyKey, renewed, cancellationToken);
            return await ReadAsync<T>(retried, cancellationToken);
        }
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        HttpMethod method, string path, object? body, string? idempotencyKey, string token, CancellationToken cancellationToken)
    {
        // A lost answer to a POST /api/grants is retried with the same Idempotency-Key: the service returns the same grant.
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(Service, path));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (body is not null) request.Content = JsonContent.Create(body, options: ApiJson.Options);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                var retryable = method == HttpMethod.Get || idempotencyKey is not null;
                if (!retryable || attempt == 3 || IsRefusedConnection(failure)) throw Unreachable(failure);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), cancellationToken);
            }
        }
    }

    private CliException Unreachable(Exception failure) =>
        new(ExitCode.ServiceUnavailable, failure is TaskCanceledException
            ? $"BreakGlass at {ServiceTarget.Display(Service)} did not answer in time."
            : $"BreakGlass at {ServiceTarget.Display(Service)} cannot be reached ({failure.Message}).");

    private static bool IsRefusedConnection(Exception failure) =>
        failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw Problem(response, text);
        try
        {
            return JsonSerializer.Deserialize<T>(text, ApiJson.Options) ?? throw new JsonException("empty body");
        }
        catch (JsonException)
        {
            throw new CliException(ExitCode.ServiceUnavailable, $"{ServiceTarget.Display(Service)} answered something that is not BreakGlass's API ({(int)response.StatusCode}).");
        }
    }

    private CliException Problem(HttpResponseMessage response, string text)
    {
        var status = (int)response.StatusCode;
        var message = Problems.Describe(response, text);
        if (status == 401) message += $" Run `breakglass login {ServiceTarget.Display(Service)}`.";
        return new CliException(Problems.ExitCodeFor(status), message);
    }
}
