using BreakGlass.Tickets;

namespace BreakGlass.Tests.Tickets;

public sealed class TicketRetryScheduleTests
{
    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(2, 2, 4)]
    [InlineData(5, 16, 32)]
    public void TransientFailuresBackOffExponentiallyWithJitter(int attempts, double minSeconds, double maxSeconds)
    {
        Assert.Equal(minSeconds, TicketRetrySchedule.AfterTransient(attempts, 0).TotalSeconds, 3);
        Assert.InRange(TicketRetrySchedule.AfterTransient(attempts, 0.999).TotalSeconds, minSeconds, maxSeconds);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(1_000)]
    [InlineData(int.MaxValue)]
    public void TheDelayIsCappedSoTransientFailuresAreRetriedForHoursWithoutEnd(int attempts)
    {
        Assert.InRange(TicketRetrySchedule.AfterTransient(attempts, 0.999), TimeSpan.FromMinutes(7.5), TicketRetrySchedule.MaxDelay);
    }

    [Fact]
    public void ARateLimitWaitsForLinearsOwnResetTime()
    {
        Assert.Equal(TimeSpan.FromSeconds(42), TicketRetrySchedule.AfterRateLimit(TimeSpan.FromSeconds(42), 0));
        Assert.Equal(TicketRetrySchedule.RateLimitDefault, TicketRetrySchedule.AfterRateLimit(null, 0));
        Assert.InRange(TicketRetrySchedule.AfterRateLimit(TimeSpan.FromSeconds(42), 0.999), TimeSpan.FromSeconds(42), TimeSpan.FromSeconds(43));
    }
}
