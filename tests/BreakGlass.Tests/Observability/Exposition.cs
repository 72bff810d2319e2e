using System.Globalization;
using System.Text;

namespace BreakGlass.Tests.Observability;

/// <summary>One sample line of the Prometheus text exposition format.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A scrape, parsed by the Prometheus text format 0.0.4 (what Prometheus itself reads): comments, metric names,
/// quoted label values with <c>\\</c>, <c>\"</c> and <c>\n</c> escapes, and the special values.
/// </summary>
internal sealed class Exposition(IReadOnlyList<Sample> samples)
{
    public IReadOnlyList<Sample> Samples { get; } = samples;

    /// <summary>The sum of the samples named <paramref name="name"/> that carry every given label; 0 when none does.</summary>
    public double Value(string name, params (string Label, string Value)[] labels) =>
        Matching(name, labels).Sum(sample => sample.Value);

    public IEnumerable<Sample> Matching(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(sample => sample.Name == name && labels.All(label => sample.Labels.TryGetValue(label.Label, out var value) && value == label.Value));

    public bool Has(string name) => Samples.Any(sample => sample.Name == name);

    public static Exposition Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            samples.Add(ParseSample(line));
        }
        return new Exposition(samples);
    }

    private static Sample ParseSample(string line)
    {
        var position = 0;
        while (position < line.Length && line[position] is not ('{' or ' ')) position++;
        var name = line[..position];
        if (name.Length == 0) throw new FormatException($"no metric name: {line}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals].Trim();
                if (line[equals + 1] != '"') throw new FormatException($"unquoted label value: {line}");
                position = equals + 2;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch { 'n' => '\n', var escaped => escaped });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }
                    position++;
                }
                labels[label] = value.ToString();
                position++;
                if (line[position] == ',') position++;
            }
            position++;
        }
        var fields = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 1 or > 2) throw new FormatException($"expected a value and an optional timestamp: {line}");
        return new Sample(name, labels, ParseValue(fields[0]));
    }

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
