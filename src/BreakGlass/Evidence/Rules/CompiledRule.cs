using System.Text.Json;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Evidence.Rules;

/// <summary>A <see cref="SeverityRule"/> made ready to evaluate.</summary>
internal sealed class CompiledRule(SeverityRule rule)
{
    private readonly HashSet<string>? _eventSources = rule.EventSources?.ToHashSet(StringComparer.Ordinal);
    private readonly WildcardPattern[]? _eventNames = rule.EventNames?.Select(name => new WildcardPattern(name)).ToArray();

    public SeverityRule Rule { get; } = rule;

    public bool MatchesEverything =>
        Rule.EventSources is null && Rule.EventNames is null && Rule.ReadOnly is null && Rule.RequestParameters is null;

    public bool Matches(CloudTrailRecord record) =>
        (_eventSources is null || _eventSources.Contains(record.EventSource))
        && (_eventNames is null || _eventNames.Any(pattern => pattern.Matches(record.EventName)))
        && (Rule.ReadOnly is null || Rule.ReadOnly == record.ReadOnly)
        && (Rule.RequestParameters is null || Rule.RequestParameters.All(condition => Holds(condition, record.RequestParameters)));

    private static bool Holds(ParameterCondition condition, JsonElement? parameters) =>
        parameters is { } element && Found(condition, element, nested: false);

    private static bool Found(ParameterCondition condition, JsonElement element, bool nested) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(property =>
            (condition.Names.Contains(property.Name) && Equals(condition, property.Value))
            || (condition.AnyDepth && Found(condition, property.Value, nested: true))),
        JsonValueKind.Array => nested && element.EnumerateArray().Any(item => Found(condition, item, nested: true)),
        _ => false,
    };

    private static bool Equals(ParameterCondition condition, JsonElement value) =>
        condition.EqualsAny is { } expected
            ? expected.Any(candidate => JsonElement.DeepEquals(candidate, value))
            : value.ValueKind != JsonValueKind.Null;
}
