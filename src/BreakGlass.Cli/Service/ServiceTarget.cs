using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BreakGlass.Cli.Service;

/// <summary>
/// Which BreakGlass the command talks to: <c>--url</c>, else <c>BREAKGLASS_URL</c>, else the service last signed in
/// to (remembered by <c>breakglass login</c>).
/// </summary>
internal static class ServiceTarget
{
    private const string DefaultsFile = "config.json";

    public static Uri Resolve(CliHost host, string? urlOption)
    {
        var text = urlOption ?? host.Variable("BREAKGLASS_URL") ?? RememberedUrl(host)
            ?? throw new CliException(ExitCode.Usage,
                "Which BreakGlass? Pass --url https://breakglass.example.com, set BREAKGLASS_URL, or run `breakglass login URL` once.");
        return Parse(text);
    }

    public static Uri Parse(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new CliException(ExitCode.Usage, $"'{text}' is not a BreakGlass URL (https://host[:port]).");
        }
        return new Uri(url.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }

    /// <summary>The URL as written into profiles and files: no trailing slash.</summary>
    public static string Display(Uri url) => url.ToString().TrimEnd('/');

    /// <summary>A file-name-safe key for everything cached per service.</summary>
    public static string Key(Uri url, string? suffix = null) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Display(url) + "\n" + suffix)))[..24];

    public static void Remember(CliHost host, Uri url) =>
        PrivateFile.Write(Path.Combine(host.ConfigDirectory, DefaultsFile), JsonSerializer.Serialize(new Defaults(Display(url)), ApiJson.Options));

    private static string? RememberedUrl(CliHost host)
    {
        var text = PrivateFile.Read(Path.Combine(host.ConfigDirectory, DefaultsFile));
        if (text is null) return null;
        try
        {
            return JsonSerializer.Deserialize<Defaults>(text, ApiJson.Options)?.Url;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Defaults(string Url);
}
