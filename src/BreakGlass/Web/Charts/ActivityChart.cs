using BreakGlass.Evidence;

namespace BreakGlass.Web.Charts;

internal sealed record ActivityBar(DateTimeOffset Minute, string Severity, int Count, double X, double Y, double Width, double Height);

/// <summary>The session's CloudTrail events per minute, stacked by severity (most severe at the bottom).</summary>
internal sealed class ActivityChart
{
    public const double Width = 760;
    public const double Height = 180;
    public const double Left = 40;
    public const double Bottom = 24;
    public const double Top = 10;
    public const double MaxBarWidth = 48;

    private ActivityChart(IReadOnlyList<ActivityBar> bars, DateTimeOffset start, int minutes, int peak)
    {
        Bars = bars;
        Start = start;
        Minutes = minutes;
        Peak = peak;
    }

    public IReadOnlyList<ActivityBar> Bars { get; }
    public DateTimeOffset Start { get; }
    public int Minutes { get; }
    public int Peak { get; }
    public DateTimeOffset EndTime => Start.AddMinutes(Minutes);
    public static double PlotBottom => Height - Bottom;

    /// <param name="from">The window's start; the chart spans it and every event.</param>
    public static ActivityChart Of(IReadOnlyList<EvidenceEvent> events, DateTimeOffset from, DateTimeOffset to)
    {
        var first = events.Count == 0 ? from : new[] { from, events.Min(e => e.EventTime) }.Min();
        var last = events.Count == 0 ? to : new[] { to, events.Max(e => e.EventTime) }.Max();
        var start = Floor(first);
        var minutes = Math.Max(1, (int)Math.Ceiling((last - start).TotalMinutes));
        var counts = events
            .GroupBy(e => (Minute: (int)(Floor(e.EventTime) - start).TotalMinutes, e.Severity))
            .ToDictionary(group => group.Key, group => group.Count());
        var perMinute = counts.GroupBy(pair => pair.Key.Minute).Select(group => group.Sum(pair => pair.Value)).DefaultIfEmpty(0).Max();
        var peak = Math.Max(1, perMinute);
        var slot = (Width - Left - 10) / minutes;
        var scale = (PlotBottom - Top) / peak;
        var bars = new List<ActivityBar>();
        for (var minute = 0; minute < minutes; minute++)
        {
            var stacked = 0;
            foreach (var severity in EvidenceSeverity.Ordered)
            {
                if (!counts.TryGetValue((minute, severity), out var count)) continue;
                var height = count * scale;
                var width = Math.Clamp(slot * 0.8, 1, MaxBarWidth);
                bars.Add(new ActivityBar(start.AddMinutes(minute), severity, count, Left + minute * slot + (slot - width) / 2,
                    PlotBottom - stacked * scale - height, width, height));
                stacked += count;
            }
        }
        return new ActivityChart(bars, start, minutes, peak);
    }

    public double X(int minute) => Left + minute * ((Width - Left - 10) / Minutes);

    private static DateTimeOffset Floor(DateTimeOffset time) => new(time.UtcDateTime.Ticks - time.UtcDateTime.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
