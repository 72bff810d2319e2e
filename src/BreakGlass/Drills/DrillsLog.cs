namespace BreakGlass.Drills;

/// <summary>Drills' log lines. Operators alert on <c>Critical</c> lines that start with <c>ALERT</c>.</summary>
internal static partial class DrillsLog
{
    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT drill {DrillId} on {Role} failed at stage {Stage}: {Detail}. Breaking glass may not work when it is needed: fix it before it is.")]
    public static partial void Failed(ILogger logger, Guid drillId, string role, string stage, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drill {DrillId} on {Role} passed: {Stages}")]
    public static partial void Passed(ILogger logger, Guid drillId, string role, string stages);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Drill {DrillId} could not end its grant {GrantId} at once ({Error}); the revocation job and the sweeper finish it")]
    public static partial void EndRetried(ILogger logger, Guid drillId, Guid grantId, string error);
}
