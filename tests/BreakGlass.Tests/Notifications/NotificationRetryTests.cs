using BreakGlass.Notifications;

namespace BreakGlass.Tests.Notifications;

public sealed class NotificationRetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WhatTheChannelAskedForWins() =>
        Assert.Equal(Now.AddSeconds(42), NotificationRetry.NextAttemptAt(Now, 7, TimeSpan.FromSeconds(42)));

    [Fact]
    public void WithoutAnAnswerTheWaitDoublesUpToFifteenMinutes()
    {
        var waits = Enumerable.Range(1, 10).Select(attempts => NotificationRetry.NextAttemptAt(Now, attempts, null) - Now).ToList();

        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 900, 900], waits.Select(wait => (int)wait.TotalSeconds));
    }

    [Fact]
    public void AnAbsurdRetryAfterIsCappedAtAnHour() =>
        Assert.Equal(Now.AddHours(1), NotificationRetry.NextAttemptAt(Now, 1, TimeSpan.FromDays(3)));
}
