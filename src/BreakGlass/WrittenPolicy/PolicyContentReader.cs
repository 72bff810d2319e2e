using System.Globalization;
using System.Text.Json.Nodes;
using BreakGlass.Accounts;
using BreakGlass.Auth;
using BreakGlass.Aws.Iam;
using BreakGlass.Evidence;
using BreakGlass.Policy;
using BreakGlass.Reviews;
using BreakGlass.Revocation;
using BreakGlass.Tickets.Linear;

namespace BreakGlass.WrittenPolicy;

/// <summary>The options the policy is read from: the same values the running features enforce.</summary>
internal sealed record PolicySettings(
    PolicyOptions Policy,
    AuthOptions Auth,
    ReviewOptions Review,
    RevocationOptions Revocation,
    EvidenceOptions Evidence,
    LinearOptions Linear,
    AccountsOptions Accounts,
    IConfiguration Configuration);

/// <summary>
/// Turns the running configuration into <see cref="PolicyContent"/>. Everything that is a set (groups, labels, event
/// names) is sorted and de-duplicated and roles are ordered by name, so neither key order nor list order changes the
/// version. Secrets are never read into it: a secret setting appears only as <c>(set)</c>, and URLs only as their origin.
/// </summary>
internal static class PolicyContentReader
{
    public const string SecretPlaceholder = "(set)";

    public static PolicyContent Read(PolicySettings settings)
    {
        var policy = settings.Policy;
        var roles = policy.Roles
            .OrderBy(role => role.Name, StringComparer.OrdinalIgnoreCase)
            .Select(role => new PolicyRole(
                role.Name, role.RoleArn, AccountOf(role.RoleArn), role.MaxDurationMinutes, role.MaxSessionSeconds, Set(role.AllowedGroups), role.RequireTicket))
            .ToList();
        var groups = settings.Auth.Groups;
        var linear = settings.Linear;
        var review = settings.Review;
        var revocation = settings.Revocation;
        var evidence = settings.Evidence;
        return new PolicyContent(
            roles,
            new PolicyAccess(settings.Auth.RoleClaim, Set(groups.Requester), Set(groups.Reviewer), Set(groups.Auditor)),
            new PolicyLimits(policy.WindowCeilingMinutes, policy.MaxOpenGrantsPerRequester),
            new PolicyTickets(linear.IsConfigured, linear.IsConfigured ? linear.TeamId : null, linear.IsConfigured ? Set(linear.Labels) : []),
            new PolicyRevocation(revocation.SweepIntervalSeconds, revocation.VerifySeconds, revocation.AlertAfterAttempts),
            new PolicyEvidence(evidence.DeliveryDelaySeconds, evidence.FinalPassDelaySeconds, Blank(evidence.S3.Bucket)),
            new PolicyReview(review.DueAfterHours, review.FinalPassGraceMinutes, review.ReminderCron, review.WebhookUrl is { } webhook ? Origin(webhook) : null),
            settings.Accounts.Accounts
                .Select(account => new PolicyAccount(account.Id, account.AgentRoleArn))
                .OrderBy(account => account.Id, StringComparer.Ordinal)
                .ToList(),
            Routes(settings.Configuration.GetSection("Notifications")),
            new PolicyDrills(Blank(settings.Configuration["Drills:Role"]), Blank(settings.Configuration["Drills:Schedule"])));
    }

    /// <summary>
    /// Every notification route as configured, whatever its shape: keys lower-cased (configuration keys ignore case),
    /// secrets as <see cref="SecretPlaceholder"/>, URLs as their origin, lists of names as sorted sets, timeouts and
    /// polling intervals left out.
    /// </summary>
    private static JsonObject Routes(IConfigurationSection section)
    {
        var routes = new JsonObject();
        foreach (var child in section.GetChildren().OrderBy(child => child.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (Node(child) is { } node) routes[child.Key.ToLowerInvariant()] = node;
        }
        return routes;
    }

    private static JsonNode? Node(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            if (string.IsNullOrWhiteSpace(section.Value) || IsTuning(section.Key)) return null;
            if (IsSecret(section.Key)) return SecretPlaceholder;
            return Uri.TryCreate(section.Value.Trim(), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? Origin(url)
                : section.Value.Trim();
        }
        if (children.All(child => int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            var items = children
                .OrderBy(child => int.Parse(child.Key, CultureInfo.InvariantCulture))
                .Select(Node)
                .OfType<JsonNode>()
                .ToList();
            // A list of plain names (events, channels) is a set; a list of routes keeps its configured order.
            if (items.All(item => item is JsonValue))
            {
                items = items.Select(item => item.GetValue<string>()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                    .Select(name => (JsonNode)JsonValue.Create(name)!).ToList();
            }
            return items.Count == 0 ? null : new JsonArray([.. items]);
        }
        var members = new JsonObject();
        foreach (var child in children.OrderBy(child => child.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (Node(child) is { } node) members[child.Key.ToLowerInvariant()] = node;
        }
        return members.Count == 0 ? null : members;
    }

    /// <summary>A Slack incoming-webhook URL is itself the credential, like a token or a signing secret.</summary>
    private static bool IsSecret(string key)
    {
        var name = key.ToLowerInvariant();
        return name.Contains("secret", StringComparison.Ordinal) || name.Contains("token", StringComparison.Ordinal)
            || name.Contains("password", StringComparison.Ordinal) || name.Contains("apikey", StringComparison.Ordinal)
            || name.Contains("credential", StringComparison.Ordinal) || name == "key"
            || name.EndsWith("webhookurl", StringComparison.Ordinal);
    }

    /// <summary>How often and how patiently notifications are sent is operations, not policy.</summary>
    private static bool IsTuning(string key) =>
        key.EndsWith("TimeoutSeconds", StringComparison.OrdinalIgnoreCase) || key.EndsWith("IntervalSeconds", StringComparison.OrdinalIgnoreCase);

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    private static string AccountOf(string roleArn)
    {
        try
        {
            return RoleArn.AccountId(roleArn);
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static IReadOnlyList<string> Set(IEnumerable<string> names) =>
        names.Where(name => !string.IsNullOrWhiteSpace(name)).Select(name => name.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
