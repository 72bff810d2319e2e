using System.Text.Json;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Evidence.Rules;

/// <summary>
/// Says what an event touched: the record's own <c>resources</c> when CloudTrail lists any, otherwise the request
/// parameters the rules file names for the event's service (<see cref="ResourceRule"/>).
/// </summary>
internal sealed class ResourceNamer
{
    /// <summary>The type of a resource CloudTrail listed without one.</summary>
    public const string UnknownType = "AWS::Unknown";

    private readonly (ResourceRule Rule, HashSet<string> Sources, WildcardPattern[]? Names)[] _rules;
    private readonly WildcardPattern[] _created;
    private readonly WildcardPattern[] _deleted;

    public ResourceNamer(IReadOnlyList<ResourceRule> rules, ChangeKindRules? changes)
    {
        _rules = rules.Select(rule => (rule, rule.EventSources.ToHashSet(StringComparer.Ordinal), rule.EventNames?.Select(name => new WildcardPattern(name)).ToArray()))
            .ToArray();
        _created = (changes?.Created ?? []).Select(name => new WildcardPattern(name)).ToArray();
        _deleted = (changes?.Deleted ?? []).Select(name => new WildcardPattern(name)).ToArray();
    }

    public IReadOnlyList<TouchedResource> Touched(CloudTrailRecord record)
    {
        var listed = record.Resources.Where(resource => !string.IsNullOrWhiteSpace(resource.Arn))
            .Select(resource => new TouchedResource(string.IsNullOrWhiteSpace(resource.Type) ? UnknownType : resource.Type, resource.Arn!))
            .Distinct()
            .ToList();
        if (listed.Count > 0 || record.RequestParameters is not { } parameters) return listed;
        var named = new List<TouchedResource>();
        foreach (var (rule, sources, names) in _rules)
        {
            if (!sources.Contains(record.EventSource) || (names is not null && !names.Any(name => name.Matches(record.EventName)))) continue;
            var values = rule.Parameters.Select(path => ValuesAt(parameters, path)).ToList();
            if (values.Any(found => found.Count == 0)) continue;
            if (values.Count == 1) named.AddRange(values[0].Select(value => new TouchedResource(rule.Type, value)));
            else if (values.All(found => found.Count == 1)) named.Add(new TouchedResource(rule.Type, string.Join('/', values.Select(found => found[0]))));
        }
        return named.Distinct().ToList();
    }

    /// <returns>What an accepted change did to what it touched; null for a read, and for a call AWS did not carry out.</returns>
    public string? ChangeOf(CloudTrailRecord record)
    {
        if (record.ReadOnly || record.ErrorCode is not null) return null;
        if (_deleted.Any(pattern => pattern.Matches(record.EventName))) return ChangeKind.Deleted;
        return _created.Any(pattern => pattern.Matches(record.EventName)) ? ChangeKind.Created : ChangeKind.Changed;
    }

    public static IEnumerable<string> Problems(IReadOnlyList<ResourceRule> rules) =>
        rules.Where(rule => string.IsNullOrWhiteSpace(rule.Type) || rule.Parameters.Count == 0 || rule.EventSources.Count == 0
                            || rule.EventNames is { Count: 0 } || rule.Parameters.Any(string.IsNullOrWhiteSpace))
            .Select(rule => $"the resource rule for '{rule.Type}' needs a type, event sources and parameter paths, none of them empty");

    private static List<string> ValuesAt(JsonElement parameters, string path)
    {
        IEnumerable<JsonElement> current = [parameters];
        foreach (var segment in path.Split('.'))
        {
            current = current.SelectMany(Items)
                .Where(element => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(segment, out _))
                .Select(element => element.GetProperty(segment));
        }
        return current.SelectMany(Items)
            .Select(element => element.ValueKind switch
            {
                JsonValueKind.String => element.GetString(),
                JsonValueKind.Number => element.GetRawText(),
                _ => null,
            })
            .Where(value => !string.IsNullOrWhiteSpace(value))
            .Select(value => value!)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<JsonElement> Items(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().SelectMany(Items) : [element];
}
