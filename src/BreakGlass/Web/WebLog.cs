namespace BreakGlass.Web;

internal static partial class WebLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Web sign-in refused: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Web sign-in failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No console link for grant {GrantId}: {Reason}")]
    public static partial void ConsoleLinkUnavailable(ILogger logger, Guid grantId, string reason);
}
