using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using BreakGlass.Aws.Sts;
using BreakGlass.Tickets;
using Microsoft.Extensions.Options;

namespace BreakGlass.Web;

/// <summary>An AWS console sign-in link, or why there is none.</summary>
internal sealed record ConsoleLink(Uri? Url, string? Unavailable);

/// <summary>
/// Turns freshly issued credentials into an AWS console sign-in link through the federation endpoint
/// (<c>getSigninToken</c>, then <c>login</c>), as the CLI's <c>breakglass console</c> does. The link carries a sign-in
/// token that AWS accepts for 15 minutes, never the credentials themselves.
/// </summary>
internal sealed class ConsoleSignIn(HttpClient http, IOptionsMonitor<WebOptions> options, IOptionsMonitor<PublicUrlOptions> publicUrl,
    TimeProvider time, ILogger<ConsoleSignIn> logger)
{
    /// <summary>The federation endpoint's bounds for <c>SessionDuration</c>.</summary>
    public const int MinSessionSeconds = 900;
    public const int MaxSessionSeconds = 43_200;

    public async Task<ConsoleLink> LinkAsync(Guid grantId, IssuedCredentials credentials, DateTimeOffset windowEnds, CancellationToken cancellationToken)
    {
        var secondsLeft = (int)(windowEnds - time.GetUtcNow()).TotalSeconds;
        // A console session lives on its own clock: never past the window (the deny ends it then anyway).
        if (secondsLeft < MinSessionSeconds)
        {
            return new ConsoleLink(null, "The AWS console signs in for at least 15 minutes and this grant has less left: use the command-line lines instead.");
        }
        var settings = options.CurrentValue;
        var session = JsonSerializer.Serialize(new { sessionId = credentials.AccessKeyId, sessionKey = credentials.SecretAccessKey, sessionToken = credentials.SessionToken });
        try
        {
            // A form body, not the query string: the secret stays out of URLs and so out of every proxy's log.
            using var response = await http.PostAsync(settings.FederationUrl, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "getSigninToken",
                ["SessionDuration"] = Math.Min(secondsLeft, MaxSessionSeconds).ToString(CultureInfo.InvariantCulture),
                ["Session"] = session,
            }), cancellationToken);
            if (!response.IsSuccessStatusCode) return Unavailable(grantId, $"the federation endpoint answered {(int)response.StatusCode}");
            var answer = await response.Content.ReadFromJsonAsync<SigninTokenAnswer>(cancellationToken);
            if (string.IsNullOrEmpty(answer?.SigninToken)) return Unavailable(grantId, "the federation endpoint gave no sign-in token");
            var query = string.Join('&',
                "Action=login",
                "Issuer=" + Uri.EscapeDataString(publicUrl.CurrentValue.PublicUrl.ToString()),
                "Destination=" + Uri.EscapeDataString(settings.ConsoleUrl.ToString()),
                "SigninToken=" + Uri.EscapeDataString(answer.SigninToken));
            return new ConsoleLink(new UriBuilder(settings.FederationUrl) { Query = query }.Uri, null);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return Unavailable(grantId, failure.Message);
        }
    }

    private ConsoleLink Unavailable(Guid grantId, string reason)
    {
        WebLog.ConsoleLinkUnavailable(logger, grantId, reason);
        return new ConsoleLink(null, "The AWS console link could not be made right now; the credentials above work. Try `breakglass console` later.");
    }

    private sealed record SigninTokenAnswer(string? SigninToken);
}
