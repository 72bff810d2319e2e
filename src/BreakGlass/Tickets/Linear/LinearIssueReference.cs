using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace BreakGlass.Tickets.Linear;

/// <summary>What an engineer may name as a ticket: an identifier (<c>OPS-123</c>) or a Linear issue URL.</summary>
internal static partial class LinearIssueReference
{
    public static bool IsValidIdentifier([NotNullWhen(true)] string? value) => value is not null && Identifier().IsMatch(value);

    /// <summary>
    /// Turns <c>OPS-123</c>, <c>ops-123</c> or <c>https://linear.app/acme/issue/OPS-123/some-slug</c> into <c>OPS-123</c>.
    /// Anything else, including URLs of other hosts, is refused.
    /// </summary>
    public static bool TryParse(string? input, [NotNullWhen(true)] out string? identifier)
    {
        identifier = null;
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        if (text.Contains("://", StringComparison.Ordinal))
            text = FromUrl(text);
        var candidate = text?.ToUpperInvariant();
        if (!IsValidIdentifier(candidate))
            return false;
        identifier = candidate;
        return true;
    }

    private static string? FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || url.Scheme != Uri.UriSchemeHttps
            || !string.Equals(url.Host, "linear.app", StringComparison.OrdinalIgnoreCase))
            return null;
        var segments = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length is 3 or 4 && segments[1] == "issue" ? segments[2] : null;
    }

    [GeneratedRegex(@"^[A-Z][A-Z0-9]{0,9}-\d{1,9}$")]
    private static partial Regex Identifier();
}
