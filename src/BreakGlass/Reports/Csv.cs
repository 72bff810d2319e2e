using CsvHelper;

namespace BreakGlass.Reports;

/// <summary>RFC 4180 CSV for auditors' spreadsheets; cells that a spreadsheet would run as formulas are escaped.</summary>
internal static class Csv
{
    private static readonly CsvWriterOptions Options = new()
    {
        HasHeader = true,
        NewLine = "\r\n",
        Injection = CsvInjection.Escape,
        FormatProvider = System.Globalization.CultureInfo.InvariantCulture,
    };

    /// <summary>The timestamp format of every CSV BreakGlass writes: UTC, ISO 8601, milliseconds.</summary>
    public static string? Timestamp(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> rows)
    {
        using var text = new StringWriter();
        using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            csv.WriteHeader(header.ToArray());
            foreach (var row in rows)
            {
                csv.WriteRecord(row.Select(cell => cell ?? "").ToArray());
            }
        }
        return text.ToString();
    }
}
