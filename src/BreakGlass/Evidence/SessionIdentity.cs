using System.Text.Json;

namespace BreakGlass.Evidence;

/// <summary>
/// Every form in which CloudTrail shows a grant's session: the keys BreakGlass minted, the role session name (a console
/// session gets its own key but keeps the name), and the source identity (which survives role chaining).
/// </summary>
/// <param name="RoleName">The grant's role; an assumed-role ARN names the role without its path.</param>
internal sealed record SessionIdentity(
    string AccountId, string RoleName, IReadOnlyList<string> AccessKeyIds, string RoleSessionName, string SourceIdentity)
{
    /// <summary>
    /// Whether the session made <paramref name="record"/>: signed with one of its keys, or by an
    /// <c>assumed-role/&lt;role&gt;/&lt;session name&gt;</c> of its account, or by any session carrying its source identity.
    /// Evidence must never hold another principal's calls, whatever a source matched on.
    /// </summary>
    public bool Made(JsonElement record)
    {
        if (!record.TryGetProperty("userIdentity", out var identity) || identity.ValueKind != JsonValueKind.Object) return false;
        if (String(identity, "accessKeyId") is { } key && AccessKeyIds.Contains(key, StringComparer.Ordinal)) return true;
        if (identity.TryGetProperty("sessionContext", out var context) && context.ValueKind == JsonValueKind.Object
            && String(context, "sourceIdentity") is { } source && string.Equals(source, SourceIdentity, StringComparison.Ordinal))
        {
            return true;
        }
        return String(identity, "type") == "AssumedRole" && String(identity, "arn") is { } arn && IsThisSession(arn);
    }

    // arn:<partition>:sts::<account>:assumed-role/<role>/<session>; IAM role names are unique regardless of case.
    private bool IsThisSession(string arn) =>
        arn.Split(':', 6) is ["arn", _, "sts", "", var account, var resource]
        && account == AccountId
        && resource.Split('/') is ["assumed-role", var role, var session]
        && string.Equals(role, RoleName, StringComparison.OrdinalIgnoreCase)
        && string.Equals(session, RoleSessionName, StringComparison.Ordinal);

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
