using System.Globalization;
using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.Aws;

/// <summary>The <c>breakglass-ROLE</c> profile: the AWS CLI and SDKs get credentials from <c>breakglass credentials</c>.</summary>
internal static class AwsProfiles
{
    public sealed record WrittenProfile(string Name, string ConfigFile);

    public static WrittenProfile Write(CliHost host, Uri service, GrantView grant, string? region)
    {
        var name = AwsConfigFile.ProfileName(grant.Role);
        var path = AwsConfigFile.PathFor(host);
        var url = ServiceTarget.Display(service);
        // The profile must work from any shell, with or without BREAKGLASS_URL: it names its service.
        var process = $"breakglass credentials --role {grant.Role} --url {Quote(url)}";
        var chosenRegion = region ?? host.Variable("AWS_REGION") ?? host.Variable("AWS_DEFAULT_REGION") ?? "us-east-1";
        var comment = string.Create(CultureInfo.InvariantCulture,
            $"Written by breakglass for grant {grant.Id} (ends {grant.ExpiresAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC); `breakglass request` rewrites this section.");
        AwsConfigFile.WriteProfile(path, name, [("credential_process", process), ("region", chosenRegion)], comment);
        return new WrittenProfile(name, path);
    }

    /// <summary>The AWS CLI splits credential_process like a POSIX shell.</summary>
    private static string Quote(string value) =>
        value.All(character => char.IsAsciiLetterOrDigit(character) || ":/._-?=&%+@".Contains(character)) ? value : "'" + value.Replace("'", "'\\''") + "'";
}
