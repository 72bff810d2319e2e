using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Grants;

namespace BreakGlass.Tests.Grants;

/// <summary>Thin helpers over the HTTP API, as a client would call it.</summary>
internal static class GrantApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<HttpResponseMessage> BreakGlassAsync(
        this HttpClient client, string role, int minutes = 60, string reason = "Production database is down, restoring service", string? ticket = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/grants")
        {
            Content = JsonContent.Create(new { role, durationMinutes = minutes, reason, ticket }),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>The body read into the API's own type, after checking the status.</summary>
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json) ?? throw new InvalidDataException($"no {typeof(T).Name} in: {body}");
    }

    public static async Task<GrantResponse> GetGrantAsync(this HttpClient client, string id) =>
        await (await client.GetAsync($"/api/grants/{id}")).ReadAsync<GrantResponse>(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> RevokeAsync(this HttpClient client, string id, string reason = "incident resolved early") =>
        client.PostAsJsonAsync($"/api/grants/{id}/revoke", new { reason });

    /// <summary>Polls until the grant reaches <paramref name="status"/> or the timeout passes.</summary>
    public static async Task<GrantResponse> WaitForStatusAsync(this HttpClient client, string id, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var grant = await client.GetGrantAsync(id);
            if (grant.Status == status || DateTime.UtcNow > deadline) return grant;
            await Task.Delay(250);
        }
    }
}
