using System.Text;
using System.Text.RegularExpressions;

namespace BreakGlass.Cli.Aws;

/// <summary>
/// Writes <c>[profile breakglass-ROLE]</c> sections into the AWS config file (<c>$AWS_CONFIG_FILE</c>, else
/// <c>~/.aws/config</c>). Every byte outside its own section stays as it was: the file is the engineer's, with their
/// SSO profiles and comments in it.
/// </summary>
internal static partial class AwsConfigFile
{
    public const string ProfilePrefix = "breakglass-";

    public static string PathFor(CliHost host) =>
        host.Variable("AWS_CONFIG_FILE") ?? Path.Combine(host.HomeDirectory, ".aws", "config");

    public static string ProfileName(string role)
    {
        if (!SafeRoleName().IsMatch(role))
        {
            throw new CliException(ExitCode.Usage, $"'{role}' cannot be an AWS profile name (letters, digits, '.', '_' and '-' only).");
        }
        return ProfilePrefix + role;
    }

    /// <summary>Adds the profile, or replaces its section in place when it is already there.</summary>
    public static void WriteProfile(string path, string profile, IReadOnlyList<(string Key, string Value)> settings, string comment)
    {
        var original = File.Exists(path) ? File.ReadAllText(path) : "";
        var section = new StringBuilder().Append("[profile ").Append(profile).Append("]\n").Append("# ").Append(comment).Append('\n');
        foreach (var (key, value) in settings) section.Append(key).Append(" = ").Append(value).Append('\n');
        EnsureDirectory(path);
        var temporary = path + ".breakglass.tmp";
        File.WriteAllText(temporary, Replace(original, profile, section.ToString()));
        if (!OperatingSystem.IsWindows() && File.Exists(path)) File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
        // Replaced in one rename: an AWS CLI reading the file meanwhile sees the old or the new file, never half of it.
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The file with <paramref name="profile"/>'s section replaced by <paramref name="section"/>, or it appended.</summary>
    public static string Replace(string original, string profile, string section)
    {
        var lines = Lines(original);
        var start = lines.FindIndex(line => IsHeaderOf(line, profile));
        if (start < 0)
        {
            if (original.Length == 0) return section;
            var separator = original.EndsWith('\n') ? "\n" : "\n\n";
            return original + separator + section;
        }
        var end = lines.FindIndex(start + 1, line => HeaderName(line) is not null);
        if (end < 0) end = lines.Count;
        // Blank lines before the next section separate it from ours: they stay.
        var keptBlank = end;
        while (keptBlank > start + 1 && lines[keptBlank - 1].Trim().Length == 0) keptBlank--;
        return string.Concat(lines.Take(start)) + section + string.Concat(lines.Skip(keptBlank));
    }

    private static bool IsHeaderOf(string line, string profile) =>
        HeaderName(line) is { } name && WhiteSpace().Replace(name, " ") == "profile " + profile;

    private static string? HeaderName(string line)
    {
        var trimmed = line.Trim();
        return trimmed.StartsWith('[') && trimmed.IndexOf(']') is var close and > 0 ? trimmed[1..close].Trim() : null;
    }

    /// <summary>The lines with their own line endings, so joining them gives back the exact bytes.</summary>
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    private static void EnsureDirectory(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SafeRoleName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
