using System.Text.Json;
using System.Text.RegularExpressions;

namespace BreakGlass.Preflight;

/// <summary>
/// Whether a break-glass role's trust policy lets the broker do the AssumeRole every grant makes: <c>sts:AssumeRole</c>
/// with a session tag (<c>sts:TagSession</c>) and the engineer as source identity (<c>sts:SetSourceIdentity</c>).
/// Read from the policy rather than tried, so preflight never mints a session of the role. Conditions are not
/// evaluated: they are reported, since only AWS can judge them.
/// </summary>
internal static partial class BrokerTrust
{
    public static readonly string[] RequiredActions = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"];

    /// <param name="brokerArn">Who the broker is (<c>sts:GetCallerIdentity</c>): a user, or a role session.</param>
    public static (bool Ok, string Detail) Check(string trustPolicy, string brokerArn)
    {
        var names = PrincipalsNaming(brokerArn);
        var allowed = new HashSet<string>(StringComparer.Ordinal);
        var conditional = false;
        using var document = JsonDocument.Parse(trustPolicy);
        foreach (var statement in Statements(document.RootElement))
        {
            if (!Strings(statement, "Principal", "AWS").Any(names.Contains)) continue;
            var actions = Strings(statement, "Action").ToArray();
            var covered = RequiredActions.Where(required => actions.Any(pattern => Matches(pattern, required))).ToArray();
            if (covered.Length == 0) continue;
            if (statement.TryGetProperty("Effect", out var effect) && effect.GetString() == "Deny")
            {
                return (false, $"the trust policy denies {string.Join(", ", covered)} to {brokerArn}");
            }
            conditional |= statement.TryGetProperty("Condition", out _);
            allowed.UnionWith(covered);
        }
        var missing = RequiredActions.Except(allowed).ToArray();
        if (missing.Length > 0)
        {
            return (false, $"the trust policy does not allow {string.Join(", ", missing)} to {brokerArn} (or its account)");
        }
        return (true, $"the trust policy names {brokerArn} (or its account) for {string.Join(", ", RequiredActions)}"
                      + (conditional ? "; its conditions are checked by AWS only when a grant is issued" : ""));
    }

    /// <summary>
    /// The principals that mean the broker: its ARN, its account (root or bare id) and, for a role session, its role
    /// (a trust policy names the role, whatever its path, not the session).
    /// </summary>
    private static HashSet<string> PrincipalsNaming(string brokerArn)
    {
        var parts = brokerArn.Split(':', 6);
        var account = parts.Length == 6 ? parts[4] : "";
        var partition = parts.Length == 6 ? parts[1] : "aws";
        var names = new HashSet<string>(StringComparer.Ordinal) { brokerArn, account, $"arn:{partition}:iam::{account}:root" };
        if (parts.Length == 6 && parts[5].Split('/') is ["assumed-role", var role, _])
        {
            names.Add($"arn:{partition}:iam::{account}:role/{role}");
            names.Add(RolePathWildcard(partition, account, role));
        }
        return names;
    }

    // A role ARN with a path ("role/ops/Name") also names the broker's role: matched through this marker below.
    private static string RolePathWildcard(string partition, string account, string role) => $"arn:{partition}:iam::{account}:role/*/{role}";

    private static IEnumerable<JsonElement> Statements(JsonElement root) =>
        root.TryGetProperty("Statement", out var statement)
            ? statement.ValueKind == JsonValueKind.Array ? statement.EnumerateArray().ToArray() : [statement]
            : [];

    private static IEnumerable<string> Strings(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element)) return [];
        }
        var values = element.ValueKind switch
        {
            JsonValueKind.String => [element.GetString()!],
            JsonValueKind.Array => element.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!).ToArray(),
            _ => Array.Empty<string>(),
        };
        // Normalise a role ARN with a path to the marker PrincipalsNaming adds for the broker's role.
        return values.Select(value => RoleWithPath().Match(value) is { Success: true } match
            ? RolePathWildcard(match.Groups["partition"].Value, match.Groups["account"].Value, match.Groups["name"].Value)
            : value);
    }

    private static bool Matches(string pattern, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase);

    [GeneratedRegex(@"^arn:(?<partition>[\w-]+):iam::(?<account>\d{12}):role/.+/(?<name>[^/]+)$")]
    private static partial Regex RoleWithPath();
}
