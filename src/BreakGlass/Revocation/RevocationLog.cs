namespace BreakGlass.Revocation;

/// <summary>Revocation's log lines. Operators alert on <c>Critical</c> lines that start with <c>ALERT</c>.</summary>
internal static partial class RevocationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Grant {GrantId} revoked: {Role} sessions tagged with it are denied")]
    public static partial void Revoked(ILogger logger, Guid grantId, string role);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT revocation of grant {GrantId} ({Role}, {Requester}) failed {Attempts} times: {Error}. Its session may still be live; retrying.")]
    public static partial void KeepsFailing(ILogger logger, Guid grantId, string role, string requester, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocation of grant {GrantId} failed (attempt {Attempts}): {Error}; retrying")]
    public static partial void AttemptFailed(ILogger logger, Guid grantId, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeper could not revoke {Grants} grant(s) on {RoleArn} yet: {Error}")]
    public static partial void SweepCouldNotRevokeYet(ILogger logger, string roleArn, int grants, string error);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT deny drift on {RoleArn}: the BreakGlassRevocations policy was {Finding} outside BreakGlass ({MissingCount} grant id(s) were not denied). It is restored and verified; find out who changed it.")]
    public static partial void DriftRepaired(ILogger logger, string roleArn, string finding, int missingCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checking the deny on {RoleArn} failed; retrying at the next pass")]
    public static partial void VerifyFailed(ILogger logger, Exception failure, string roleArn);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deny lock on {RoleArn} held {HeldMilliseconds:F1} ms for {Grants} grant(s)")]
    public static partial void DenyLockReleased(ILogger logger, string roleArn, double heldMilliseconds, int grants);

    [LoggerMessage(Level = LogLevel.Information, Message = "Revocation wave on {RoleArn}: {Grants} grant(s) denied in one verified write")]
    public static partial void WaveRevoked(ILogger logger, string roleArn, int grants);
}
