namespace BreakGlass.Auth;

internal static partial class AuthLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Signing keys reloaded from {Path}: {Count} key(s)")]
    public static partial void SigningKeysReloaded(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing keys file {Path} is unusable ({Error}); the previous keys stay in force")]
    public static partial void SigningKeysUnusable(ILogger logger, string path, string error);
}
