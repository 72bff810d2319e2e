namespace BreakGlass.Evidence.Rules;

/// <summary>A case-sensitive name pattern where <c>*</c> stands for any run of characters.</summary>
internal sealed class WildcardPattern
{
    private readonly string[] _parts;

    public WildcardPattern(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        _parts = pattern.Split('*');
    }

    public string Pattern { get; }

    public bool Matches(string value)
    {
        if (_parts.Length == 1) return string.Equals(value, Pattern, StringComparison.Ordinal);
        if (!value.StartsWith(_parts[0], StringComparison.Ordinal)) return false;
        var position = _parts[0].Length;
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var found = value.IndexOf(_parts[i], position, StringComparison.Ordinal);
            if (found < 0) return false;
            position = found + _parts[i].Length;
        }
        var last = _parts[^1];
        return value.Length - position >= last.Length && value.EndsWith(last, StringComparison.Ordinal);
    }
}
