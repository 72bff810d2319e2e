using System.Text.RegularExpressions;
using BreakGlass.Grants;

namespace BreakGlass.Aws.Sts;

/// <summary>What BreakGlass asks STS for: names and limits as STS defines them.</summary>
internal static partial class AssumeRoleParameters
{
    /// <summary>STS's minimum session length; the grant window is enforced by the IAM deny, not by STS.</summary>
    public const int MinimumSessionSeconds = 900;

    /// <summary><c>bg-&lt;user&gt;-&lt;short id&gt;</c>, within STS's 2-64 characters of <c>[\w+=,.@-]</c>.</summary>
    public static string RoleSessionName(Grant grant)
    {
        var suffix = "-" + grant.ShortId;
        var user = Sanitise(grant.Requester);
        return "bg-" + user[..Math.Min(user.Length, 64 - 3 - suffix.Length)] + suffix;
    }

    /// <summary>The engineer, as CloudTrail will show it through any role chaining (2-64 characters of <c>[\w+=,.@-]</c>).</summary>
    public static string SourceIdentity(string requester)
    {
        var identity = Sanitise(requester);
        identity = identity[..Math.Min(identity.Length, 64)];
        return identity.Length >= 2 ? identity : identity.PadRight(2, '_');
    }

    /// <summary>
    /// max(900 s, the remaining window), never above the role's maximum session nor the broker's cap (an hour when the
    /// broker is itself a role session). A window longer than that is served by fresh credentials within it.
    /// </summary>
    public static int DurationSeconds(TimeSpan remainingWindow, int roleMaxSessionSeconds, int? brokerCapSeconds = null) =>
        Math.Min(Math.Min(roleMaxSessionSeconds, brokerCapSeconds ?? int.MaxValue),
            Math.Max(MinimumSessionSeconds, (int)Math.Ceiling(remainingWindow.TotalSeconds)));

    private static string Sanitise(string value) => DisallowedCharacters().Replace(value, "_");

    [GeneratedRegex(@"[^\w+=,.@-]")]
    private static partial Regex DisallowedCharacters();
}
