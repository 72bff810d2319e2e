using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>The <c>serve</c> command's arguments (see <c>Program.cs</c> for the usage text).</summary>
public sealed record ProviderSettings(
    IPAddress Address,
    int Port,
    string StateDirectory,
    string Audience,
    string CliClientId,
    string WebClientId,
    IReadOnlyList<Uri> WebRedirectUris,
    string? WebClientSecret,
    TimeSpan AccessTokenLifetime,
    IReadOnlyList<DevUser> Users)
{
    public const string DefaultAudience = "breakglass-api";
    public const string DefaultCliClientId = "breakglass-cli";
    public const string DefaultWebClientId = "breakglass-web";

    /// <summary>The issuer (<c>iss</c>) and base of every endpoint: the loopback address and port it listens on.</summary>
    public Uri Issuer => new(Address.AddressFamily == AddressFamily.InterNetworkV6
        ? $"http://[{Address}]:{Port}/"
        : $"http://{Address}:{Port}/");

    public static ProviderSettings Parse(IReadOnlyList<string> arguments)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var index = 0; index < arguments.Count; index += 2)
        {
            if (!arguments[index].StartsWith("--", StringComparison.Ordinal) || index + 1 >= arguments.Count)
            {
                throw new ArgumentException($"expected '--option value', got '{arguments[index]}'");
            }
            if (!Known.Contains(arguments[index])) throw new ArgumentException($"unknown option '{arguments[index]}'");
            if (!values.TryGetValue(arguments[index], out var list)) values[arguments[index]] = list = [];
            list.Add(arguments[index + 1]);
        }
        string? Single(string option) => values.TryGetValue(option, out var list) ? list[^1] : null;

        var address = IPAddress.TryParse(Single("--address") ?? "127.0.0.1", out var parsed)
            ? parsed
            : throw new ArgumentException("--address must be an IP address (127.0.0.1 or ::1)");
        // Anyone who can reach this provider can sign in as anyone: it must never be reachable from another machine.
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"the development provider listens on a loopback address only (127.0.0.1 or ::1), not {address}");
        }
        var port = int.TryParse(Single("--port"), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and < 65536
            ? number
            : throw new ArgumentException("--port (1-65535) is required: the issuer URL names it");
        var state = Single("--state") ?? throw new ArgumentException("--state DIR is required: the signing key lives there");
        var redirects = (values.GetValueOrDefault("--web-redirect-uri") ?? []).Select(uri =>
            Uri.TryCreate(uri, UriKind.Absolute, out var redirect) && redirect.Scheme is "http" or "https" && redirect.Fragment.Length == 0
                ? redirect
                : throw new ArgumentException($"--web-redirect-uri '{uri}' is not an absolute http(s) URI without a fragment")).ToList();
        var seconds = Single("--access-token-seconds") ?? "3600";
        var lifetime = int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 60
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException("--access-token-seconds must be a whole number of seconds, at least 60");
        var users = values.TryGetValue("--user", out var specs) ? specs.Select(DevUser.Parse).ToList() : DevUser.QuickStart.ToList();
        if (users.DistinctBy(user => user.Name).Count() != users.Count) throw new ArgumentException("two --user arguments share a name");

        return new ProviderSettings(
            address, port, state,
            Single("--audience") ?? DefaultAudience,
            Single("--cli-client-id") ?? DefaultCliClientId,
            Single("--web-client-id") ?? DefaultWebClientId,
            redirects,
            Single("--web-client-secret"),
            lifetime,
            users);
    }

    private static readonly HashSet<string> Known =
    [
        "--address", "--port", "--state", "--audience", "--cli-client-id", "--web-client-id", "--web-redirect-uri",
        "--web-client-secret", "--access-token-seconds", "--user",
    ];
}
