using System.Net;
using System.Text.RegularExpressions;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// The person at a browser on the development provider's pages, driven by <c>HttpClient</c>: reads each page's form
/// and submits it as a user (<c>"alice"</c>, <c>"carol"</c>, <c>"dave"</c> or a name passed to the provider).
/// <list type="bullet">
/// <item><see cref="ApproveDeviceAsync"/>: the device flow's human step (RFC 8628) for a user code the client printed.</item>
/// <item><see cref="SignInAsync"/>: an authorization request (code + PKCE) a client sent the browser to; returns where
/// the provider sends the browser back (the client's redirect URI with <c>code</c> and <c>state</c>) without going
/// there, so the caller follows it with its own cookies; <see cref="SignInAndFollowAsync"/> also goes there (e.g. to a
/// CLI's loopback listener).</item>
/// </list>
/// Every page it reads must say it is for development; it throws with the page's text when a step goes wrong.
/// </summary>
internal sealed partial class DevProviderBrowser(Uri issuer) : IDisposable
{
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = Eventually.Patience };

    public DevProviderBrowser(DevProvider provider) : this(provider.Issuer)
    {
    }

    /// <summary>Opens the verification page for <paramref name="userCode"/> and signs the device in as <paramref name="user"/>.</summary>
    public Task ApproveDeviceAsync(string userCode, string user) => SubmitDeviceAsync(userCode, "dev_user", user);

    /// <summary>Opens the verification page for <paramref name="userCode"/> and refuses (the client then gets access_denied).</summary>
    public Task RefuseDeviceAsync(string userCode) => SubmitDeviceAsync(userCode, "dev_deny", "1");

    /// <summary>Chooses <paramref name="user"/> on the authorization page; returns the redirect back to the client.</summary>
    public Task<Uri> SignInAsync(Uri authorizeUrl, string user) => SubmitAuthorizationAsync(authorizeUrl, "dev_user", user);

    /// <summary>Refuses on the authorization page; returns the redirect back to the client (carrying <c>error=access_denied</c>).</summary>
    public Task<Uri> RefuseAsync(Uri authorizeUrl) => SubmitAuthorizationAsync(authorizeUrl, "dev_deny", "1");

    /// <summary><see cref="SignInAsync"/>, then the browser goes to the client's redirect URI, as a real one would.</summary>
    public async Task<HttpResponseMessage> SignInAndFollowAsync(Uri authorizeUrl, string user)
    {
        var back = await SignInAsync(authorizeUrl, user);
        using var plain = new HttpClient { Timeout = Eventually.Patience };
        return await plain.GetAsync(back);
    }

    /// <summary>A provider page as a browser gets it (status and HTML), for tests about the pages themselves.</summary>
    public async Task<(HttpStatusCode Status, string Html)> GetPageAsync(Uri url)
    {
        using var response = await _http.GetAsync(url);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task SubmitDeviceAsync(string userCode, string field, string value)
    {
        var page = await ReadFormPageAsync(new Uri(issuer, $"connect/verify?user_code={Uri.EscapeDataString(userCode)}"));
        var fields = FormFields(page);
        fields[field] = value;
        using var response = await _http.PostAsync(new Uri(issuer, FormAction(page)), new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"device verification for '{userCode}' answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<Uri> SubmitAuthorizationAsync(Uri authorizeUrl, string field, string value)
    {
        var page = await ReadFormPageAsync(authorizeUrl);
        var fields = FormFields(page);
        fields[field] = value;
        using var response = await _http.PostAsync(new Uri(issuer, FormAction(page)), new FormUrlEncodedContent(fields));
        return response.StatusCode == HttpStatusCode.Found && response.Headers.Location is { } back
            ? new Uri(new Uri(issuer, FormAction(page)), back)
            : throw new InvalidOperationException($"the authorization page answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<string> ReadFormPageAsync(Uri url)
    {
        var (status, html) = await GetPageAsync(url);
        if (status != HttpStatusCode.OK || !html.Contains("<form", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{url} answered {(int)status} without a form: {html}");
        }
        if (!html.Contains("DEVELOPMENT ONLY", StringComparison.Ordinal)) throw new InvalidOperationException($"{url} does not say it is for development");
        return html;
    }

    private static Dictionary<string, string> FormFields(string html) =>
        InputPattern().Matches(html).ToDictionary(
            match => WebUtility.HtmlDecode(match.Groups["name"].Value),
            match => WebUtility.HtmlDecode(match.Groups["value"].Value));

    private static string FormAction(string html) => WebUtility.HtmlDecode(ActionPattern().Match(html).Groups["action"].Value);

    [GeneratedRegex("""<input[^>]*\sname="(?<name>[^"]*)"[^>]*\svalue="(?<value>[^"]*)"[^>]*>""")]
    private static partial Regex InputPattern();

    [GeneratedRegex("""<form[^>]*\saction="(?<action>[^"]*)"[^>]*>""")]
    private static partial Regex ActionPattern();

    public void Dispose() => _http.Dispose();
}
