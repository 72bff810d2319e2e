using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BreakGlass.LocalAws.Iam;

/// <summary>
/// A test double for the part of IAM policy evaluation BreakGlass depends on and moto lacks: whether an identity
/// policy's <c>Deny</c> statements refuse a request made with an assumed-role session, given the session's tags,
/// source identity and issue time. moto ignores conditions, so without this a conditional deny refuses every session.
/// <para>
/// Modelled: <c>Deny</c> statements with <c>Action</c> (one or a list, <c>*</c> and <c>?</c> wildcards, case-insensitive)
/// and <c>Resource: "*"</c>; condition operators <c>StringEquals</c>, <c>StringNotEquals</c>,
/// <c>ForAnyValue:StringEquals</c>, <c>DateLessThan</c>, <c>DateGreaterThan</c>, on the keys
/// <c>aws:PrincipalTag/*</c>, <c>aws:SourceIdentity</c> and <c>aws:TokenIssueTime</c>; several keys, operators and
/// values combine as in IAM (keys and operators AND, values OR); a key the session lacks fails the condition, except
/// for the negated <c>StringNotEquals</c>.
/// </para>
/// <para>
/// Not modelled, and refused loudly with <see cref="NotSupportedException"/> rather than guessed: <c>NotAction</c>,
/// <c>NotResource</c>, resources other than <c>*</c>, any other operator (<c>StringLike</c>, <c>...IfExists</c>,
/// <c>Null</c>, <c>ForAllValues:*</c>, ...) or condition key. <c>Allow</c> statements are ignored (moto decides what is
/// allowed). Not modelled at all: permissions boundaries, SCPs, resource policies, session policies, and IAM's
/// propagation delay (a deny here applies at once; in AWS it takes seconds).
/// </para>
/// </summary>
internal static class DenyStatementEvaluator
{
    private const string PrincipalTagPrefix = "aws:PrincipalTag/";

    /// <returns>The Sid (or <c>"(no Sid)"</c>) of the first Deny statement that refuses <paramref name="action"/>, or null.</returns>
    public static string? FindDeny(string policyDocument, string action, SessionContext session)
    {
        using var document = JsonDocument.Parse(policyDocument);
        if (!document.RootElement.TryGetProperty("Statement", out var statements))
        {
            throw new NotSupportedException("A policy without 'Statement'.");
        }
        foreach (var statement in OneOrMany(statements))
        {
            if (statement.GetProperty("Effect").GetString() != "Deny") continue;
            if (statement.TryGetProperty("NotAction", out _) || statement.TryGetProperty("NotResource", out _))
            {
                throw new NotSupportedException("NotAction and NotResource are not modelled.");
            }
            if (OneOrMany(statement.GetProperty("Resource")).Any(resource => resource.GetString() != "*"))
            {
                throw new NotSupportedException("Only Resource \"*\" is modelled: the request's resource ARN is not known here.");
            }
            if (!OneOrMany(statement.GetProperty("Action")).Any(pattern => Matches(pattern.GetString() ?? "", action))) continue;
            if (statement.TryGetProperty("Condition", out var condition) && !ConditionHolds(condition, session)) continue;
            return statement.TryGetProperty("Sid", out var sid) ? sid.GetString() : "(no Sid)";
        }
        return null;
    }

    private static bool ConditionHolds(JsonElement condition, SessionContext session) =>
        condition.EnumerateObject().All(@operator =>
            @operator.Value.EnumerateObject().All(key =>
                OperatorHolds(@operator.Name, key.Name, OneOrMany(key.Value).Select(value => value.GetString() ?? "").ToArray(), session)));

    private static bool OperatorHolds(string @operator, string key, string[] values, SessionContext session)
    {
        if (key == "aws:TokenIssueTime")
        {
            var instants = values.Select(ParseDate).ToArray();
            return @operator switch
            {
                "DateLessThan" => instants.Any(instant => session.TokenIssueTime < instant),
                "DateGreaterThan" => instants.Any(instant => session.TokenIssueTime > instant),
                _ => throw new NotSupportedException($"Operator {@operator} on {key} is not modelled."),
            };
        }
        var actual = StringKey(key, session);
        return @operator switch
        {
            "StringEquals" or "ForAnyValue:StringEquals" => actual is not null && values.Contains(actual, StringComparer.Ordinal),
            "StringNotEquals" => actual is null || !values.Contains(actual, StringComparer.Ordinal),
            _ => throw new NotSupportedException($"Operator {@operator} on {key} is not modelled."),
        };
    }

    private static string? StringKey(string key, SessionContext session)
    {
        if (key.StartsWith(PrincipalTagPrefix, StringComparison.OrdinalIgnoreCase))
        {
            // Tag keys are case-insensitive in IAM condition keys; their values are not.
            var tag = key[PrincipalTagPrefix.Length..];
            return session.PrincipalTags.FirstOrDefault(pair => string.Equals(pair.Key, tag, StringComparison.OrdinalIgnoreCase)).Value;
        }
        if (string.Equals(key, "aws:SourceIdentity", StringComparison.OrdinalIgnoreCase)) return session.SourceIdentity;
        throw new NotSupportedException($"Condition key {key} is not modelled.");
    }

    private static DateTimeOffset ParseDate(string value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw new NotSupportedException($"'{value}' is not an ISO 8601 date IAM would accept here.");

    private static bool Matches(string pattern, string action) =>
        Regex.IsMatch(action, "^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static IEnumerable<JsonElement> OneOrMany(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [element];
}
