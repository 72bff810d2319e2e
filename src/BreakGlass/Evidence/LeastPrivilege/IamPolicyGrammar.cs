using System.Text.RegularExpressions;

namespace BreakGlass.Evidence.LeastPrivilege;

/// <summary>
/// The parts of IAM's policy grammar and limits a suggested policy must meet
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html, ..._iam-quotas.html).
/// </summary>
internal static partial class IamPolicyGrammar
{
    public const string Version = "2012-10-17";
    public const string Allow = "Allow";
    public const string AnyResource = "*";

    /// <summary>A customer managed policy's size limit: characters, not counting whitespace.</summary>
    public const int ManagedPolicyMaxCharacters = 6144;

    public static bool IsAction(string action) => ActionPattern().IsMatch(action);

    public static bool IsResource(string resource) => resource == AnyResource || ArnPattern().IsMatch(resource);

    /// <summary>The size IAM counts: every character of the document but whitespace.</summary>
    public static int Size(PolicyDocument policy) => policy.ToCompactJson().Count(character => !char.IsWhiteSpace(character));

    /// <returns>Why the document is not a valid identity policy within <paramref name="maxCharacters"/>; empty when it is.</returns>
    public static IReadOnlyList<string> Problems(PolicyDocument policy, int maxCharacters = ManagedPolicyMaxCharacters)
    {
        var problems = new List<string>();
        if (policy.Version != Version) problems.Add($"Version must be {Version}, not '{policy.Version}'");
        if (policy.Statement is not { Count: > 0 }) problems.Add("Statement must hold at least one statement");
        foreach (var (statement, index) in (policy.Statement ?? []).Select((statement, index) => (statement, index)))
        {
            var name = $"statement {index + 1}";
            if (statement.Sid is null || !SidPattern().IsMatch(statement.Sid)) problems.Add($"{name}: Sid must be letters and digits only");
            if (statement.Effect != Allow) problems.Add($"{name}: Effect must be {Allow}, not '{statement.Effect}'");
            if (statement.Action is not { Count: > 0 }) problems.Add($"{name}: Action must name at least one action");
            problems.AddRange((statement.Action ?? []).Where(action => action is null || !IsAction(action))
                .Select(action => $"{name}: '{action}' is not an action (service:Action)"));
            if (statement.Resource is not { Count: > 0 }) problems.Add($"{name}: Resource must name at least one resource");
            problems.AddRange((statement.Resource ?? []).Where(resource => resource is null || !IsResource(resource))
                .Select(resource => $"{name}: '{resource}' is neither * nor an ARN"));
        }
        var duplicate = (policy.Statement ?? []).Where(statement => statement.Sid is not null)
            .GroupBy(statement => statement.Sid, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null) problems.Add($"Sid '{duplicate.Key}' appears more than once");
        if (problems.Count == 0 && Size(policy) is var size && size > maxCharacters)
            problems.Add($"the document has {size} characters without whitespace, over the limit of {maxCharacters}");
        return problems;
    }

    [GeneratedRegex("^[a-z0-9-]+:[A-Za-z0-9*]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ActionPattern();

    // arn:partition:service:region:account:resource; S3 has neither region nor account, AWS managed policies have "aws".
    [GeneratedRegex(@"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:([0-9]{12}|aws)?:[^\u0000-\u001f]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();

    [GeneratedRegex("^[A-Za-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex SidPattern();
}
