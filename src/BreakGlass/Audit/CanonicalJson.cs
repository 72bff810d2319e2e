using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BreakGlass.Audit;

/// <summary>
/// The JSON Canonicalization Scheme (RFC 8785): members sorted by their names' UTF-16 code units, no
/// whitespace, minimal string escaping, numbers as ECMAScript prints IEEE doubles. Any JSON text with the
/// same data gives the same bytes, so a hash over them survives PostgreSQL's jsonb re-formatting and
/// can be recomputed by an auditor with any RFC 8785 library.
/// </summary>
internal static class CanonicalJson
{
    public static byte[] ToUtf8Bytes(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static string ToText(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return text.ToString();
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var members = element.EnumerateObject().ToList();
                members.Sort((left, right) => string.CompareOrdinal(left.Name, right.Name));
                text.Append('{');
                for (var index = 0; index < members.Count; index++)
                {
                    if (index > 0 && members[index].Name == members[index - 1].Name)
                    {
                        throw new JsonException($"the member '{members[index].Name}' appears twice: such JSON has no canonical form");
                    }
                    if (index > 0) text.Append(',');
                    WriteString(members[index].Name, text);
                    text.Append(':');
                    Write(members[index].Value, text);
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) text.Append(',');
                    first = false;
                    Write(item, text);
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                WriteString(element.GetString()!, text);
                break;
            case JsonValueKind.Number:
                text.Append(FormatNumber(element.GetDouble()));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            case JsonValueKind.Null:
                text.Append("null");
                break;
            default:
                throw new JsonException($"cannot canonicalise a JSON {element.ValueKind}");
        }
    }

    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var character in value)
        {
            switch (character)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)character:x4}"); break;
                default: text.Append(character); break;
            }
        }
        text.Append('"');
    }

    /// <summary>ECMAScript's Number.prototype.toString for a finite double (RFC 8785 section 3.2.2.3).</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value)) throw new JsonException("JSON has no representation for NaN or infinity");
        if (value == 0) return "0";
        if (value < 0) return "-" + FormatNumber(-value);
        var (digits, exponent) = ShortestDigits(value);
        var count = digits.Length;
        if (count <= exponent && exponent <= 21) return digits + new string('0', exponent - count);
        if (exponent is > 0 and <= 21) return digits[..exponent] + "." + digits[exponent..];
        if (exponent is > -6 and <= 0) return "0." + new string('0', -exponent) + digits;
        var power = exponent - 1;
        var mantissa = count == 1 ? digits : digits[..1] + "." + digits[1..];
        return mantissa + "e" + (power >= 0 ? "+" : "-") + Math.Abs(power).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The shortest digits that round-trip (what .NET's "R" format gives since .NET Core 3.0) and the decimal
    /// exponent n such that value = 0.digits × 10^n.
    /// </summary>
    private static (string Digits, int Exponent) ShortestDigits(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var point = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point >= 0 ? text[..point] : text;
        var fraction = point >= 0 ? text[(point + 1)..] : "";
        var all = integerPart + fraction;
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        var digits = all.Trim('0');
        return (digits, exponent + integerPart.Length - leadingZeros);
    }
}
