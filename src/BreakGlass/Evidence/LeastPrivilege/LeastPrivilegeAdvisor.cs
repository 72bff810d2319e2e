using System.Globalization;
using System.Text.Json;
using BreakGlass.Aws.Iam;

namespace BreakGlass.Evidence.LeastPrivilege;

/// <summary>
/// Builds the <see cref="LeastPrivilegeSuggestion"/> from a grant's evidence: the actions of the calls the grant's role
/// session made and AWS accepted before the grant ended, one statement per service and set of resources, the resources
/// being the ARNs the calls touched (<c>*</c> where CloudTrail names none). A document over IAM's size limit is widened
/// step by step, each step said in the notes: resources to <c>*</c> per service, then actions to <c>service:*</c>, then
/// one statement.
/// </summary>
internal sealed class LeastPrivilegeAdvisor(IamActionNames names)
{
    public static LeastPrivilegeAdvisor Default { get; } = new(IamActionNames.Default);

    /// <param name="roleArn">The grant's role: calls by any other principal (a session chained into another role, BreakGlass itself) are not the role's needs.</param>
    /// <param name="accessKeyIds">The keys issued under the grant: a call signed with one was made by the grant's role session.</param>
    /// <param name="completeness">The evidence's completeness: a partial one may still grow.</param>
    public LeastPrivilegeSuggestion Suggest(
        IReadOnlyList<EvidenceEvent> events, string roleArn, IReadOnlyCollection<string> accessKeyIds, string completeness,
        int maxCharacters = IamPolicyGrammar.ManagedPolicyMaxCharacters)
    {
        var roleName = RoleArn.RoleName(roleArn);
        var needs = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>?>>(StringComparer.Ordinal);
        var (afterEnd, refused, otherPrincipals, noPermission, basedOn) = (0, 0, 0, 0, 0);
        var unnamed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var call in events)
        {
            if (EvidenceSummaries.IsAfterEnd(call)) afterEnd++;
            else if (call.Outcome != EventOutcome.Accepted) refused++;
            else if (!accessKeyIds.Contains(call.AccessKeyId ?? "") && !MadeByRoleSession(call.Raw, roleName)) otherPrincipals++;
            else if (names.For(call.EventSource, call.EventName) is not { } required || !required.Actions.All(IamPolicyGrammar.IsAction))
                unnamed.Add($"{call.EventSource} {call.EventName}");
            else if (required.Actions.Count == 0) noPermission++;
            else
            {
                basedOn++;
                var resources = ResourcesOf(call, required.ResourceTypes);
                foreach (var action in required.Actions) Need(needs, action, resources);
            }
        }

        var notes = new List<string>();
        if (completeness != EvidenceCompleteness.Complete)
            notes.Add("The evidence is not complete yet: calls CloudTrail delivers later may add to this suggestion.");
        notes.AddRange(LeftOut(afterEnd, refused, otherPrincipals, noPermission, unnamed));
        if (basedOn == 0)
        {
            notes.Add("The session made no successful call that needs a permission: there is nothing to allow.");
            return new LeastPrivilegeSuggestion(null, notes, 0);
        }
        notes.Add("Resources are the ARNs CloudTrail named for each call (or that follow from a bucket's name); an action with a call that named none has \"*\".");
        var policy = Fit(needs, maxCharacters, notes);
        if (policy is not null && IamPolicyGrammar.Problems(policy, maxCharacters) is [var problem, ..])
        {
            notes.Add($"No policy is suggested: the one built fails IAM's grammar ({problem}).");
            policy = null;
        }
        return new LeastPrivilegeSuggestion(policy, notes, basedOn);
    }

    private static IEnumerable<string> LeftOut(int afterEnd, int refused, int otherPrincipals, int noPermission, IReadOnlyCollection<string> unnamed)
    {
        if (refused > 0) yield return Count(refused, "refused or failed call is", "refused or failed calls are") + " left out: AWS did not carry them out.";
        if (afterEnd > 0)
            yield return Count(afterEnd, "call made after the grant ended is", "calls made after the grant ended are") + " left out: no role should need them.";
        if (otherPrincipals > 0)
            yield return Count(otherPrincipals, "call by another principal is", "calls by other principals are") +
                         " left out (a session chained into another role, whose own policy allowed them, or BreakGlass itself).";
        if (noPermission > 0)
            yield return Count(noPermission, "call needs", "calls need") + " no permission (console sign-in, sts:GetCallerIdentity) and add nothing.";
        if (unnamed.Count > 0) yield return $"No IAM action is known for: {string.Join(", ", unnamed)}.";
    }

    private static string Count(int count, string one, string many) => string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? one : many)}");

    private static void Need(SortedDictionary<string, SortedDictionary<string, SortedSet<string>?>> needs, string action, SortedSet<string>? resources)
    {
        var service = action[..action.IndexOf(':')];
        if (!needs.TryGetValue(service, out var actions)) needs[service] = actions = new(StringComparer.Ordinal);
        if (!actions.TryGetValue(action, out var known)) actions[action] = resources is null ? null : new(resources, StringComparer.Ordinal);
        else if (known is not null && resources is not null) known.UnionWith(resources);
        else actions[action] = null;
    }

    /// <returns>The ARNs the call's actions are authorised against; null ("*") when any of them has no known ARN, or it touched none.</returns>
    private SortedSet<string>? ResourcesOf(EvidenceEvent call, IReadOnlyList<string>? types)
    {
        var relevant = types is null ? call.Touched : call.Touched.Where(resource => types.Contains(resource.Type, StringComparer.Ordinal)).ToList();
        if (relevant.Count == 0) return null;
        var partition = PartitionOf(call.Raw);
        var arns = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var resource in relevant)
        {
            if (names.ArnOf(resource, partition) is not { } arn) return null;
            arns.Add(arn);
        }
        return arns;
    }

    /// <summary>The document, widened until it fits <paramref name="maxCharacters"/>; null when even one statement of <c>service:*</c> does not.</summary>
    private static PolicyDocument? Fit(
        SortedDictionary<string, SortedDictionary<string, SortedSet<string>?>> needs, int maxCharacters, List<string> notes)
    {
        var policy = Build(needs);
        var size = IamPolicyGrammar.Size(policy);
        if (size <= maxCharacters) return policy;
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"The exact policy has {size} characters without whitespace, over IAM's limit of {maxCharacters} for a managed policy, so it was widened:"));

        var widened = new List<string>();
        foreach (var service in needs.OrderByDescending(pair => pair.Value.Values.Sum(resources => resources?.Count ?? 0)).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                     .Where(pair => pair.Value.Values.Any(resources => resources is not null)).Select(pair => pair.Key).ToList())
        {
            foreach (var action in needs[service].Keys.ToList()) needs[service][action] = null;
            widened.Add(service);
            policy = Build(needs);
            if (IamPolicyGrammar.Size(policy) <= maxCharacters) break;
        }
        if (widened.Count > 0) notes.Add($"resources collapsed to \"*\" for {string.Join(", ", widened)}.");
        if (IamPolicyGrammar.Size(policy) <= maxCharacters) return policy;

        widened.Clear();
        foreach (var service in needs.Where(pair => pair.Value.Count > 1).OrderByDescending(pair => pair.Value.Count).ThenBy(pair => pair.Key, StringComparer.Ordinal)
                     .Select(pair => pair.Key).ToList())
        {
            needs[service] = new(StringComparer.Ordinal) { [$"{service}:*"] = null };
            widened.Add(service);
            policy = Build(needs);
            if (IamPolicyGrammar.Size(policy) <= maxCharacters) break;
        }
        if (widened.Count > 0) notes.Add($"actions collapsed to service:* for {string.Join(", ", widened)}.");
        if (IamPolicyGrammar.Size(policy) <= maxCharacters) return policy;

        policy = new PolicyDocument(IamPolicyGrammar.Version,
            [new PolicyStatement("AllServices", IamPolicyGrammar.Allow, needs.Keys.Select(service => $"{service}:*").ToList(), [IamPolicyGrammar.AnyResource])]);
        if (IamPolicyGrammar.Size(policy) <= maxCharacters)
        {
            notes.Add("every service's actions collapsed to service:* in one statement on \"*\".");
            return policy;
        }
        notes.Add("No policy is suggested: even one statement allowing service:* for each service used is over the limit.");
        return null;
    }

    /// <summary>One statement per service and distinct set of resources, in a stable order.</summary>
    private static PolicyDocument Build(SortedDictionary<string, SortedDictionary<string, SortedSet<string>?>> needs)
    {
        var statements = new List<PolicyStatement>();
        foreach (var (service, actions) in needs)
        {
            var groups = actions.GroupBy(pair => pair.Value is null ? IamPolicyGrammar.AnyResource : string.Join('\n', pair.Value), StringComparer.Ordinal)
                .Select(group => (Actions: group.Select(pair => pair.Key).ToList(), Resources: group.First().Value?.ToList() ?? [IamPolicyGrammar.AnyResource]))
                .OrderBy(group => group.Actions[0], StringComparer.Ordinal)
                .ToList();
            var sid = Sid(service);
            statements.AddRange(groups.Select((group, index) =>
                new PolicyStatement(groups.Count == 1 ? sid : string.Create(CultureInfo.InvariantCulture, $"{sid}Group{index + 1}"), IamPolicyGrammar.Allow,
                    group.Actions, group.Resources)));
        }
        return new PolicyDocument(IamPolicyGrammar.Version, statements);
    }

    /// <summary><c>resource-groups</c> → <c>ResourceGroups</c>: a Sid is letters and digits only.</summary>
    private static string Sid(string service) =>
        string.Concat(service.Split('-', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    // arn:<partition>:sts::<account>:assumed-role/<role>/<session>; IAM role names are unique regardless of case.
    private static bool MadeByRoleSession(JsonElement raw, string roleName) =>
        IdentityArn(raw) is { } arn
        && arn.Split(':', 6) is ["arn", _, "sts", _, _, var resource]
        && resource.Split('/') is ["assumed-role", var role, _]
        && string.Equals(role, roleName, StringComparison.OrdinalIgnoreCase);

    private static string PartitionOf(JsonElement raw) => IdentityArn(raw)?.Split(':') is [_, { Length: > 0 } partition, ..] ? partition : "aws";

    private static string? IdentityArn(JsonElement raw) =>
        raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("userIdentity", out var identity) && identity.ValueKind == JsonValueKind.Object
        && identity.TryGetProperty("arn", out var arn) && arn.ValueKind == JsonValueKind.String
            ? arn.GetString()
            : null;
}
