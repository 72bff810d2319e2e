using BreakGlass.Tests.Linear;
using BreakGlass.Tickets;
using BreakGlass.Tickets.Linear;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.Tickets;

public sealed class LinearGateTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-03-01T03:00:00Z"));
    private readonly CapturedLogs _logs = new();
    private readonly ILoggerFactory _loggers;
    private readonly LinearGate _gate;

    public LinearGateTests()
    {
        _loggers = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        _gate = new LinearGate(_time, _loggers.CreateLogger<LinearGate>());
    }

    public void Dispose() => _loggers.Dispose();

    [Fact]
    public void ARateLimitClosesTheGateUntilLinearsResetTime()
    {
        _gate.Observe(new LinearException(LinearErrorKind.RateLimited, "Linear: Rate limit exceeded") { RetryAfter = TimeSpan.FromSeconds(30) });

        Assert.False(_gate.IsOpen(out var reason));
        Assert.Contains("Rate limit exceeded", reason);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_gate.IsOpen(out _));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(_gate.IsOpen(out _));
    }

    [Fact]
    public void ARefusedKeyIsAlertedOnceAndRetriedOnlyAfterTheSlowInterval()
    {
        var refused = new LinearException(LinearErrorKind.Authentication, "Linear: You need to authenticate.");

        _gate.Observe(refused);
        _time.Advance(TicketRetrySchedule.ConfigurationProblemDelay - TimeSpan.FromSeconds(1));
        Assert.False(_gate.IsOpen(out var reason));
        Assert.Contains("Linear:ApiKey", reason);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_gate.IsOpen(out _));
        _gate.Observe(refused);

        Assert.Single(_logs.Entries, entry => entry.Level == LogLevel.Critical);
        _gate.Answered();
        Assert.Contains(_logs.Entries, entry => entry is { Level: LogLevel.Information } && entry.Message.Contains("accepts BreakGlass's requests again"));
        _gate.Observe(refused);
        Assert.Equal(2, _logs.Entries.Count(entry => entry.Level == LogLevel.Critical));
    }

    [Theory]
    [InlineData(nameof(LinearErrorKind.Transient))]
    [InlineData(nameof(LinearErrorKind.NotFound))]
    [InlineData(nameof(LinearErrorKind.InvalidInput))]
    public void AFailureOfOneRequestLeavesTheGateOpen(string kind)
    {
        _gate.Observe(new LinearException(Enum.Parse<LinearErrorKind>(kind), "one request failed"));

        Assert.True(_gate.IsOpen(out _));
        Assert.Empty(_logs.Entries);
    }
}
