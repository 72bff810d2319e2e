namespace BreakGlass.Grants;

internal static partial class GrantsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Glass broken: grant {GrantId} gives {Requester} {Role} until {ExpiresAt:O} (access key {AccessKeyId})")]
    public static partial void GlassBroken(ILogger logger, Guid grantId, string requester, string role, DateTimeOffset expiresAt, string accessKeyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Credentials {AccessKeyId} for grant {GrantId} were minted but could not be recorded ({Error}); they are withheld")]
    public static partial void CredentialsNotRecorded(ILogger logger, string accessKeyId, Guid grantId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Early end of grant {GrantId} will be retried: {Error}")]
    public static partial void EarlyEndWillBeRetried(ILogger logger, Guid grantId, string error);
}
