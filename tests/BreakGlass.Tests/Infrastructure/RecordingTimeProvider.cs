using System.Collections.Concurrent;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// The system clock, remembering every timer asked of it: a test proves how long the code under test chose to
/// wait (a retry delay, a rate-limit slot) without timing it, so a loaded machine cannot make it fail.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _timers = new();

    /// <summary>The due time of every timer created so far, in order.</summary>
    public IReadOnlyList<TimeSpan> Timers => [.. _timers];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        _timers.Enqueue(dueTime);
        return TimeProvider.System.CreateTimer(callback, state, dueTime, period);
    }
}
