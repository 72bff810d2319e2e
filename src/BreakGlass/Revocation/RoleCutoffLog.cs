namespace BreakGlass.Revocation;

/// <summary>Log lines of role-wide cut-offs: both refuse live sessions that no grant's end asked to refuse.</summary>
internal static partial class RoleCutoffLog
{
    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Deny overflow on {RoleArn}: {RevokedGrants} revoked grant ids do not fit, so every session of the role issued before {Before:O} is refused (aws:TokenIssueTime); its live grants must get fresh credentials")]
    public static partial void OverflowCutoff(ILogger logger, string roleArn, DateTimeOffset before, int revokedGrants);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT revoke-all on {Role} ({RoleArn}) by {Actor}: every session issued before {Before:O} is refused, {EndedGrants} open grant(s) ended. Reason: {Reason}")]
    public static partial void RevokedAll(ILogger logger, string role, string roleArn, string actor, DateTimeOffset before, int endedGrants, string reason);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Revoke-all on {RoleArn}: the cut-off {Before:O} is recorded but IAM refused it: {Error}; the next revocation on the role writes it again")]
    public static partial void RevokeAllWriteFailed(ILogger logger, string roleArn, DateTimeOffset before, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grant {GrantId} ended by revoke-all is left to the sweeper: {Error}")]
    public static partial void RevokeAllLeftToSweeper(ILogger logger, Guid grantId, string error);
}
