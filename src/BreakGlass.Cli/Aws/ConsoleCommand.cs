using System.CommandLine;
using System.Text.Json;
using BreakGlass.Cli.Credentials;
using BreakGlass.Cli.Output;
using BreakGlass.Cli.Service;
using BreakGlass.Cli.SignIn;

namespace BreakGlass.Cli.Aws;

/// <summary>
/// <c>breakglass console ROLE</c>: an AWS console sign-in URL for the grant's session, from the federation endpoint.
/// The console session lives on its own clock, so it asks for no longer than the grant has left.
/// </summary>
internal static class ConsoleCommand
{
    public const string DefaultFederationUrl = "https://signin.aws.amazon.com/federation";
    public const string Destination = "https://console.aws.amazon.com/";

    /// <summary>The federation endpoint's own limits for SessionDuration.</summary>
    private const int MinimumSeconds = 900;
    private const int MaximumSeconds = 43200;

    public static Command Create(CliHost host, GlobalOptions options)
    {
        var role = new Argument<string>("ROLE") { Description = "The break-glass role of your open grant." };
        var command = new Command("console", "Open the AWS console as the role, for no longer than the grant has left.") { role };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var session = await new GrantCredentials(invocation, invocation.Api()).GetAsync(invocation.Value(role), cancellationToken);
            var duration = SessionDuration(session.GrantExpiresAt - invocation.Now);
            var federation = new Uri(host.Variable("BREAKGLASS_FEDERATION_URL") ?? DefaultFederationUrl);
            var signinToken = await SigninTokenAsync(invocation.Http, federation, session.Credentials, duration, cancellationToken);
            var url = LoginUrl(federation, signinToken, ServiceTarget.Display(invocation.Service));
            if (invocation.Json)
            {
                JsonOutput.Write(host, new { url, sessionDurationSeconds = duration, grantId = session.GrantId, grantExpiresAt = session.GrantExpiresAt });
                return;
            }
            await host.Output.WriteLineAsync(url);
            var opened = BrowserLauncher.TryOpen(host, url);
            await host.Error.WriteLineAsync(
                $"{(opened ? "Opened the AWS console" : "Open this URL within 15 minutes to sign in to the AWS console")}; " +
                $"the console session lasts {Human.Duration(TimeSpan.FromSeconds(duration))} (the grant ends {Human.When(session.GrantExpiresAt)}).");
        });
        return command;
    }

    /// <summary>The grant's time left in whole seconds, within what the federation endpoint accepts.</summary>
    public static int SessionDuration(TimeSpan timeLeft) => Math.Clamp((int)Math.Floor(timeLeft.TotalSeconds), MinimumSeconds, MaximumSeconds);

    private static async Task<string> SigninTokenAsync(HttpClient http, Uri federation, AwsCredentials credentials, int duration, CancellationToken cancellationToken)
    {
        var session = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["sessionId"] = credentials.AccessKeyId,
            ["sessionKey"] = credentials.SecretAccessKey,
            ["sessionToken"] = credentials.SessionToken,
        });
        var request = new Uri($"{federation}?Action=getSigninToken&SessionDuration={duration}&Session={Uri.EscapeDataString(session)}");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(request, cancellationToken);
        }
        catch (Exception failure) when (failure is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCode.AwsFailed, $"The AWS federation endpoint {federation} cannot be reached ({failure.Message}).");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliException(ExitCode.AwsFailed, $"The AWS federation endpoint refused the session ({(int)response.StatusCode}).");
            }
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.TryGetProperty("SigninToken", out var token) && token.GetString() is { Length: > 0 } value) return value;
            }
            catch (JsonException)
            {
            }
            throw new CliException(ExitCode.AwsFailed, "The AWS federation endpoint answered without a SigninToken.");
        }
    }

    public static string LoginUrl(Uri federation, string signinToken, string issuer) =>
        $"{federation}?Action=login&Issuer={Uri.EscapeDataString(issuer)}&Destination={Uri.EscapeDataString(Destination)}&SigninToken={Uri.EscapeDataString(signinToken)}";
}
