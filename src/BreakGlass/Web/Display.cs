using System.Globalization;

namespace BreakGlass.Web;

/// <summary>How the pages write times and durations: UTC, to the minute or second, the same everywhere.</summary>
internal static class Display
{
    public static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Precise(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero) return "0s";
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s");
    }

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
