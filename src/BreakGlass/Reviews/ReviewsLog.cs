namespace BreakGlass.Reviews;

internal static partial class ReviewsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Reviews waiting: {Pending} pending, {Overdue} overdue ({OverdueGrants})")]
    public static partial void ReviewsWaiting(ILogger logger, int pending, int overdue, string overdueGrants);
}
