namespace BreakGlass.WrittenPolicy;

internal static partial class WrittenPolicyLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Break-glass policy version {Version} is in force and pending approval (changed by {ChangedBy})")]
    public static partial void VersionRecorded(ILogger logger, string version, string changedBy);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the break-glass policy version in force; retrying")]
    public static partial void RecordingFailed(ILogger logger, Exception exception);
}
