using System.Globalization;

namespace BreakGlass.Evidence;

internal static class EvidenceSummaries
{
    public static EvidenceSummary Of(IReadOnlyCollection<EvidenceEvent> events)
    {
        var bySeverity = EvidenceSeverity.Ordered.ToDictionary(severity => severity, severity => events.Count(item => item.Severity == severity));
        var byService = events
            .GroupBy(item => item.EventSource, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var criticalItems = events
            .Where(item => item.Severity == EvidenceSeverity.Critical)
            .OrderBy(item => item.EventTime).ThenBy(item => item.EventId, StringComparer.Ordinal)
            .Select(CriticalItem)
            .ToList();
        return new EvidenceSummary(
            events.Count,
            byService,
            bySeverity,
            events.Count(item => item.ErrorCode is not null),
            events.Count(item => item.Flags.Contains("accessDenied")),
            criticalItems);
    }

    private static string CriticalItem(EvidenceEvent item) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{item.EventTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} {item.EventSource} {item.EventName} ({string.Join("; ", item.Reasons)})");
}
