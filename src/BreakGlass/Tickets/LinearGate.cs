using BreakGlass.Tickets.Linear;

namespace BreakGlass.Tickets;

/// <summary>
/// Whether this instance may call Linear right now. A rate limit closes it until Linear's reset time; a
/// refused key or permission closes it for <see cref="TicketRetrySchedule.ConfigurationProblemDelay"/>, so a
/// broken configuration costs one request per interval instead of one per pending action.
/// </summary>
internal sealed partial class LinearGate(TimeProvider time, ILogger<LinearGate> logger)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _closedUntil = DateTimeOffset.MinValue;
    private string? _reason;
    private bool _misconfigured;

    /// <summary>False while Linear is to be left alone; <paramref name="reason"/> then says why and until when.</summary>
    public bool IsOpen(out string? reason)
    {
        lock (_lock)
        {
            var open = time.GetUtcNow() >= _closedUntil;
            reason = open ? null : _reason;
            return open;
        }
    }

    /// <summary>Closes the gate when <paramref name="error"/> concerns every call (a rate limit, a refused key); other errors concern one action.</summary>
    public void Observe(LinearException error)
    {
        if (error.Kind == LinearErrorKind.RateLimited)
            RateLimited(time.GetUtcNow() + TicketRetrySchedule.AfterRateLimit(error.RetryAfter, Random.Shared.NextDouble()), error.Message);
        else if (error.IsConfigurationProblem)
            Misconfigured(error);
    }

    private void RateLimited(DateTimeOffset until, string error)
    {
        lock (_lock)
        {
            if (until <= _closedUntil) return;
            _closedUntil = until;
            _reason = $"{error} BreakGlass waits until {until:HH:mm:ss} UTC before calling Linear again.";
        }
        LogRateLimited(until, error);
    }

    private void Misconfigured(LinearException error)
    {
        bool firstReport;
        lock (_lock)
        {
            firstReport = !_misconfigured;
            _misconfigured = true;
            _closedUntil = time.GetUtcNow() + TicketRetrySchedule.ConfigurationProblemDelay;
            _reason = $"{error.Message} Linear refuses BreakGlass's key or permissions ({error.Kind}): fix Linear:ApiKey and restart; retrying every {TicketRetrySchedule.ConfigurationProblemDelay.TotalMinutes:0} min.";
        }
        if (firstReport) LogMisconfigured(error.Kind, error.Message);
    }

    /// <summary>Linear answered a request normally.</summary>
    public void Answered()
    {
        bool recovered;
        lock (_lock)
        {
            recovered = _misconfigured;
            _misconfigured = false;
        }
        if (recovered) LogRecovered();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linear rate limit reached: no Linear calls from this instance until {Until:O} ({Error})")]
    private partial void LogRateLimited(DateTimeOffset until, string error);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT Linear refuses BreakGlass ({Kind}): tickets are neither filed nor updated until Linear:ApiKey or its permissions are fixed. {Error}")]
    private partial void LogMisconfigured(LinearErrorKind kind, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Linear accepts BreakGlass's requests again: pending tickets are being caught up")]
    private partial void LogRecovered();
}
