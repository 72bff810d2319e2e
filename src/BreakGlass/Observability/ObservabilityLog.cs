namespace BreakGlass.Observability;

internal static partial class ObservabilityLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Gauges of {Source} could not be read ({Error}); they keep their previous values until the next refresh")]
    public static partial void GaugeSourceFailed(ILogger logger, string source, string error);
}
