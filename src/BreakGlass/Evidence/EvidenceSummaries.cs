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
        var afterEnd = ByTime(events.Where(IsAfterEnd)).ToList();
        return new EvidenceSummary(
            events.Count,
            byService,
            bySeverity,
            events.Count(item => item.ErrorCode is not null),
            events.Count(item => item.Flags.Contains(EvidenceSeverity.AccessDenied)),
            Items(events.Where(item => item.Severity == EvidenceSeverity.Critical)),
            persistence.Count,
            Items(persistence),
            new AfterEndSummary(
                afterEnd.Count(item => item.Outcome == EventOutcome.Accepted),
                afterEnd.Count(item => item.Outcome != EventOutcome.Accepted),
                afterEnd.Select(item => $"{(item.Outcome == EventOutcome.Accepted ? "accepted" : "refused")} {Item(item)}").ToList()),
            ChangesOf(events));
    }

    public static bool IsPersistence(EvidenceEvent item) => item.Flags.Contains(EvidenceSeverity.Persistence);

    public static bool IsAfterEnd(EvidenceEvent item) => item.Flags.Contains(EvidenceSeverity.AfterEnd);

    /// <summary>"time eventSource eventName → touched (reasons)": one event on one line, for lists a person reads.</summary>
    public static string Item(EvidenceEvent item) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{item.EventTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'} {item.EventSource} {item.EventName}{Touched(item)} ({string.Join("; ", item.Reasons)})");

    /// <summary>" → AWS::IAM::User backdoor, ..." or nothing when the event names no resource.</summary>
    public static string Touched(EvidenceEvent item) =>
        item.Touched.Count == 0 ? "" : " → " + string.Join(", ", item.Touched);

    /// <summary>Every resource an accepted change touched, created first, then changed, then deleted, each by when it was first touched.</summary>
    private static List<ResourceChange> ChangesOf(IEnumerable<EvidenceEvent> events) =>
        ByTime(events.Where(item => item.Change is not null))
            .SelectMany(item => (item.Touched.Count > 0 ? item.Touched : [new TouchedResource(Rules.ResourceNamer.UnknownType, "(not named)")])
                .Select(resource => (Item: item, Resource: resource)))
            .GroupBy(pair => (pair.Item.Change!, pair.Resource))
            .Select(group => new ResourceChange(
                group.Key.Item1, group.Key.Resource.Type, group.Key.Resource.Name,
                group.Select(pair => $"{pair.Item.EventSource} {pair.Item.EventName}").Distinct(StringComparer.Ordinal).ToList(),
                group.First().Item.EventTime))
            .OrderBy(change => Array.IndexOf(ChangeKind.Ordered, change.Change))
            .ThenBy(change => change.FirstAt)
            .ThenBy(change => change.Type, StringComparer.Ordinal)
            .ThenBy(change => change.Name, StringComparer.Ordinal)
            .ToList();

    private static IEnumerable<EvidenceEvent> ByTime(IEnumerable<EvidenceEvent> events) =>
        events.OrderBy(item => item.EventTime).ThenBy(item => item.EventId, StringComparer.Ordinal);

    private static List<string> Items(IEnumerable<EvidenceEvent> events) => ByTime(events).Select(Item).ToList();
}
