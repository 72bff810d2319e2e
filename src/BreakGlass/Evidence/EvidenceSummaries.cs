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
        var persistence = events.Where(IsPersistence).ToList();
        return new EvidenceSummary(
            events.Count,
            byService,
            bySeverity,
            events.Count(item => item.ErrorCode is not null),
            events.Count(item => item.Flags.Contains("accessDenied")),
            Items(events.Where(item => item.Severity == EvidenceSeverity.Critical)),
            persistence.Count,
            Items(persistence));
    }

    public static bool IsPersistence(EvidenceEvent item) => item.Flags.Contains(EvidenceSeverity.Persistence);

    private static List<string> Items(IEnumerable<EvidenceEvent> events) =>
        events.OrderBy(item => item.EventTime).ThenBy(item => item.EventId, StringComparer.Ordinal).Select(Item).ToList();

    private static string Item(EvidenceEvent item) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{item.EventTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} {item.EventSource} {item.EventName} ({string.Join("; ", item.Reasons)})");
}
