using System.Text.Json;
using BreakGlass.Evidence;
using BreakGlass.Web.Charts;

namespace BreakGlass.Tests.Web;

public sealed class ActivityChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 3, 0, 20, TimeSpan.Zero);

    [Fact]
    public void EventsAreCountedPerMinuteAndStackedMostSevereAtTheBottom()
    {
        var events = new[]
        {
            Event(Start.AddSeconds(5), EvidenceSeverity.Info),
            Event(Start.AddSeconds(10), EvidenceSeverity.Critical),
            Event(Start.AddSeconds(15), EvidenceSeverity.Info),
            Event(Start.AddMinutes(2), EvidenceSeverity.High),
        };

        var chart = ActivityChart.Of(events, Start, Start.AddMinutes(3));

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 3, 0, 0, TimeSpan.Zero), chart.Start);
        Assert.Equal(4, chart.Minutes);
        Assert.Equal(3, chart.Peak);
        var first = chart.Bars.Where(bar => bar.Minute == chart.Start).ToList();
        Assert.Equal([EvidenceSeverity.Critical, EvidenceSeverity.Info], first.Select(bar => bar.Severity));
        Assert.Equal([1, 2], first.Select(bar => bar.Count));
        // Stacked: the critical bar sits on the axis, the info bar on top of it, together the full height.
        Assert.Equal(ActivityChart.PlotBottom, first[0].Y + first[0].Height, 6);
        Assert.Equal(first[0].Y, first[1].Y + first[1].Height, 6);
        Assert.Equal(ActivityChart.Top, first[1].Y, 6);
        var later = Assert.Single(chart.Bars, bar => bar.Minute == chart.Start.AddMinutes(2));
        Assert.Equal((EvidenceSeverity.High, 1), (later.Severity, later.Count));
    }

    [Fact]
    public void ASessionWithoutEventsStillDrawsItsWindow()
    {
        var chart = ActivityChart.Of([], Start, Start.AddMinutes(30));

        Assert.Empty(chart.Bars);
        Assert.Equal(31, chart.Minutes);
        Assert.Equal(1, chart.Peak);
    }

    private static EvidenceEvent Event(DateTimeOffset at, string severity) =>
        new(Guid.NewGuid().ToString(), at, "ec2.amazonaws.com", "DescribeInstances", severity == EvidenceSeverity.Info, severity, null, [], [],
            null, "accepted", [], null, "us-east-1", null, null, "ASIAEXAMPLE", [], JsonDocument.Parse("{}").RootElement);
}
