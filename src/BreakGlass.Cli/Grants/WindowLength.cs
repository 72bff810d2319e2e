using System.Globalization;
using System.Text.RegularExpressions;

namespace BreakGlass.Cli.Grants;

/// <summary><c>--for</c>: "4h", "90m", "1h30m", or plain minutes.</summary>
internal static partial class WindowLength
{
    public static int ParseMinutes(string text)
    {
        var match = Pattern().Match(text.Trim());
        if (match.Success && (match.Groups["hours"].Success || match.Groups["minutes"].Success || match.Groups["plain"].Success))
        {
            var minutes = Number(match, "hours") * 60 + Number(match, "minutes") + Number(match, "plain");
            if (minutes > 0) return minutes;
        }
        throw new CliException(ExitCode.Usage, $"--for '{text}' is not a window: write e.g. 4h, 90m or 1h30m.");
    }

    private static int Number(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("^(?:(?<plain>[0-9]{1,5})|(?:(?<hours>[0-9]{1,3})h)?(?:(?<minutes>[0-9]{1,5})m(?:in)?)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
