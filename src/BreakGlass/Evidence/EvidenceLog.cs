namespace BreakGlass.Evidence;

internal static partial class EvidenceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Evidence {Pass} pass for grant {GrantId}: {Events} events ({Critical} critical), {Completeness}, sha256 {Sha256}")]
    public static partial void PassRecorded(ILogger logger, EvidencePass pass, Guid grantId, int events, int critical, string completeness, string sha256);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the failed evidence pass of grant {GrantId}")]
    public static partial void FailureNotRecorded(ILogger logger, Exception storage, Guid grantId);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT evidence {Pass} pass for grant {GrantId} ({Role}, {Requester}) failed {Attempts} time(s): {Error}. Retrying with backoff.")]
    public static partial void PassKeepsFailing(ILogger logger, EvidencePass pass, Guid grantId, string role, string requester, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "evidence {Pass} pass for grant {GrantId} ({Role}, {Requester}) failed {Attempts} time(s): {Error}. Retrying with backoff.")]
    public static partial void PassFailed(ILogger logger, EvidencePass pass, Guid grantId, string role, string requester, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evidence passes of grant {GrantId} not scheduled ({Error}); the sweeper will run them")]
    public static partial void PassesNotScheduled(ILogger logger, Guid grantId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeper could not collect evidence for grant {GrantId} yet: {Error}")]
    public static partial void SweepCouldNotCollectYet(ILogger logger, Guid grantId, string error);
}
