namespace BreakGlass.LocalAws.CloudTrail;

/// <summary>Every recorded or seeded event, in memory; an event id is stored once.</summary>
internal sealed class EventStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredEvent> _events = new(StringComparer.Ordinal);

    public bool Add(StoredEvent storedEvent)
    {
        lock (_lock)
        {
            return _events.TryAdd(storedEvent.EventId, storedEvent);
        }
    }

    /// <summary>The matching events in LookupEvents order: newest first, ties broken by event id.</summary>
    public List<StoredEvent> Matching(Func<StoredEvent, bool> predicate)
    {
        List<StoredEvent> matching;
        lock (_lock)
        {
            matching = _events.Values.Where(predicate).ToList();
        }
        matching.Sort(NewestFirst);
        return matching;
    }

    public static int NewestFirst(StoredEvent left, StoredEvent right)
    {
        var byTime = right.EventTime.CompareTo(left.EventTime);
        return byTime != 0 ? byTime : string.CompareOrdinal(right.EventId, left.EventId);
    }
}
