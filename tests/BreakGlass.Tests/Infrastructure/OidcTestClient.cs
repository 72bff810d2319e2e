using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// A public OAuth client doing by <c>HttpClient</c> what the <c>breakglass</c> CLI does, against any provider's
/// discovery document (the development provider or <see cref="IndependentProvider"/>): device authorization (RFC 8628),
/// authorization code with PKCE S256 (RFC 7636) on a loopback redirect (RFC 8252), refresh tokens.
/// <code>
/// using var client = new OidcTestClient(provider.Issuer, DevProvider.CliClientId);
/// var tokens = await client.SignInWithDeviceAsync(DevProvider.Scopes, code => browser.ApproveDeviceAsync(code, "alice"));
/// </code>
/// </summary>
internal sealed class OidcTestClient(Uri authority, string clientId, string? clientSecret = null) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Eventually.Patience };
    private JsonElement? _discovery;

    public async Task<JsonElement> DiscoveryAsync() =>
        _discovery ??= await _http.GetFromJsonAsync<JsonElement>(new Uri(authority, ".well-known/openid-configuration"));

    public async Task<Uri> EndpointAsync(string name) => new((await DiscoveryAsync()).GetProperty(name).GetString()!);

    public async Task<DeviceAuthorization> StartDeviceAuthorizationAsync(string scopes)
    {
        using var response = await _http.PostAsync(await EndpointAsync("device_authorization_endpoint"), Form(("scope", scopes)));
        var body = await ReadJsonAsync(response);
        return new DeviceAuthorization(
            body.GetProperty("device_code").GetString()!,
            body.GetProperty("user_code").GetString()!,
            new Uri(body.GetProperty("verification_uri").GetString()!),
            body.TryGetProperty("verification_uri_complete", out var complete) ? new Uri(complete.GetString()!) : null,
            body.TryGetProperty("interval", out var interval) ? interval.GetInt32() : 5);
    }

    /// <summary>One device-code redemption, as it comes (pending, denied, or tokens).</summary>
    public async Task<HttpResponseMessage> RedeemDeviceCodeAsync(string deviceCode) =>
        await _http.PostAsync(await EndpointAsync("token_endpoint"),
            Form(("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("device_code", deviceCode)));

    /// <summary>Polls the token endpoint as RFC 8628 says (pending: wait the interval; slow_down: wait longer).</summary>
    public async Task<TokenSet> PollDeviceTokenAsync(DeviceAuthorization device)
    {
        var interval = TimeSpan.FromSeconds(device.Interval);
        var deadline = DateTime.UtcNow + Eventually.Patience;
        while (true)
        {
            using var response = await RedeemDeviceCodeAsync(device.DeviceCode);
            if (response.IsSuccessStatusCode) return await ReadTokensAsync(response);
            var error = (await ReadJsonAsync(response, allowError: true)).GetProperty("error").GetString();
            if (error == "slow_down") interval += TimeSpan.FromSeconds(5);
            else if (error != "authorization_pending" || DateTime.UtcNow > deadline) throw new InvalidOperationException($"device sign-in failed: {error}");
            await Task.Delay(interval);
        }
    }

    /// <summary>The whole device flow: start it, let <paramref name="approve"/> act on the user code, then poll.</summary>
    public async Task<TokenSet> SignInWithDeviceAsync(string scopes, Func<string, Task> approve)
    {
        var device = await StartDeviceAuthorizationAsync(scopes);
        await approve(device.UserCode);
        return await PollDeviceTokenAsync(device);
    }

    /// <summary>An authorization request with a fresh PKCE verifier (S256) and state, for the browser to open.</summary>
    public async Task<AuthorizationRequest> CreateAuthorizationRequestAsync(Uri redirectUri, string scopes)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var state = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = string.Join('&', new[]
        {
            ("response_type", "code"), ("client_id", clientId), ("redirect_uri", redirectUri.ToString()), ("scope", scopes),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", "S256"),
        }.Select(pair => $"{pair.Item1}={Uri.EscapeDataString(pair.Item2)}"));
        return new AuthorizationRequest(new Uri($"{await EndpointAsync("authorization_endpoint")}?{query}"), verifier, state);
    }

    public async Task<HttpResponseMessage> RedeemCodeAsync(string code, Uri redirectUri, string codeVerifier) =>
        await _http.PostAsync(await EndpointAsync("token_endpoint"), Form(
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectUri.ToString()), ("code_verifier", codeVerifier)));

    public async Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        await _http.PostAsync(await EndpointAsync("token_endpoint"), Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)));

    public static async Task<TokenSet> ReadTokensAsync(HttpResponseMessage response)
    {
        var body = await ReadJsonAsync(response);
        return new TokenSet(
            body.GetProperty("access_token").GetString()!,
            body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            body.TryGetProperty("id_token", out var id) ? id.GetString() : null,
            body.GetProperty("expires_in").GetInt32());
    }

    /// <summary>A query parameter of a redirect back to the client (<c>code</c>, <c>state</c>, <c>error</c>).</summary>
    public static string? QueryValue(Uri redirect, string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(redirect.Query).TryGetValue(name, out var value) ? value.ToString() : null;

    private FormUrlEncodedContent Form(params (string Name, string Value)[] fields)
    {
        var all = fields.Select(field => new KeyValuePair<string, string>(field.Name, field.Value)).ToList();
        all.Add(new("client_id", clientId));
        if (clientSecret is not null) all.Add(new("client_secret", clientSecret));
        return new FormUrlEncodedContent(all);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, bool allowError = false)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!allowError && !response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public void Dispose() => _http.Dispose();
}

internal sealed record DeviceAuthorization(string DeviceCode, string UserCode, Uri VerificationUri, Uri? VerificationUriComplete, int Interval);

internal sealed record AuthorizationRequest(Uri Url, string CodeVerifier, string State);

internal sealed record TokenSet(string AccessToken, string? RefreshToken, string? IdToken, int ExpiresIn);
