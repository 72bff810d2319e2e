namespace BreakGlass.Revocation;

internal static partial class RevocationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Grant {GrantId} revoked: {Role} sessions tagged with it are denied")]
    public static partial void Revoked(ILogger logger, Guid grantId, string role);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT revocation of grant {GrantId} ({Role}, {Requester}) failed {Attempts} times: {Error}. Its session may still be live; retrying.")]
    public static partial void KeepsFailing(ILogger logger, Guid grantId, string role, string requester, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocation of grant {GrantId} failed (attempt {Attempts}): {Error}; retrying")]
    public static partial void AttemptFailed(ILogger logger, Guid grantId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeper could not revoke grant {GrantId} yet: {Error}")]
    public static partial void SweepCouldNotRevokeYet(ILogger logger, Guid grantId, string error);
}
