namespace BreakGlass.Tests.Linear;

/// <summary>
/// Evaluates the part of Linear's <c>IssueLabelFilter</c> that the double supports: name comparators,
/// the team (by id, or none for workspace labels) and <c>and</c>/<c>or</c>. Anything else fails the
/// request loudly rather than matching silently.
/// </summary>
internal static class LabelFilter
{
    public static Func<LinearLabelRecord, bool> Compile(IDictionary<string, object?>? filter)
    {
        if (filter is null)
            return _ => true;
        var parts = filter.Select(entry => Part(entry.Key, entry.Value)).ToList();
        return label => parts.All(part => part(label));
    }

    private static Func<LinearLabelRecord, bool> Part(string field, object? value) => field switch
    {
        "name" => Name(Comparator(value)),
        "team" => Team(Comparator(value)),
        "and" => All(value),
        "or" => Any(value),
        _ => throw new NotSupportedException($"The Linear double does not evaluate IssueLabelFilter.{field}."),
    };

    private static Func<LinearLabelRecord, bool> Name(IDictionary<string, object?> comparator)
    {
        var tests = comparator.Select<KeyValuePair<string, object?>, Func<string, bool>>(c => c.Key switch
        {
            "eq" => name => name == (string?)c.Value,
            "eqIgnoreCase" => name => string.Equals(name, (string?)c.Value, StringComparison.OrdinalIgnoreCase),
            "in" => name => Strings(c.Value).Contains(name),
            _ => throw new NotSupportedException($"The Linear double does not evaluate StringComparator.{c.Key}."),
        }).ToList();
        return label => tests.All(test => test(label.Name));
    }

    private static Func<LinearLabelRecord, bool> Team(IDictionary<string, object?> filter)
    {
        var tests = filter.Select<KeyValuePair<string, object?>, Func<LinearTeamRecord?, bool>>(f => f.Key switch
        {
            "null" => team => (team is null) == (bool)f.Value!,
            "id" when Comparator(f.Value).TryGetValue("eq", out var id) => team => team?.Id == (string?)id,
            _ => throw new NotSupportedException($"The Linear double does not evaluate NullableTeamFilter.{f.Key}."),
        }).ToList();
        return label => tests.All(test => test(label.Team));
    }

    private static Func<LinearLabelRecord, bool> All(object? filters)
    {
        var compiled = Filters(filters).Select(Compile).ToList();
        return label => compiled.All(f => f(label));
    }

    private static Func<LinearLabelRecord, bool> Any(object? filters)
    {
        var compiled = Filters(filters).Select(Compile).ToList();
        return label => compiled.Any(f => f(label));
    }

    private static IDictionary<string, object?> Comparator(object? value) =>
        value as IDictionary<string, object?> ?? new Dictionary<string, object?>();

    private static IEnumerable<IDictionary<string, object?>> Filters(object? value) =>
        (value as IEnumerable<object?> ?? []).OfType<IDictionary<string, object?>>();

    private static HashSet<string> Strings(object? value) => [.. (value as IEnumerable<object?> ?? []).OfType<string>()];
}
