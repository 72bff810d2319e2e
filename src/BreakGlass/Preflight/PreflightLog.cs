namespace BreakGlass.Preflight;

/// <summary>Preflight's log lines. Operators alert on <c>Critical</c> lines that start with <c>ALERT</c>.</summary>
internal static partial class PreflightLog
{
    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT preflight failed for {Count} role(s): {Failures}. Breaking glass into them, or revoking it, may fail: fix it before it is needed.")]
    public static partial void Failed(ILogger logger, int count, string failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Preflight passed for all {Count} role(s)")]
    public static partial void Passed(ILogger logger, int count);
}
