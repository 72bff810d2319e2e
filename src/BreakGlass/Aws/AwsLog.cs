namespace BreakGlass.Aws;

internal static partial class AwsLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} failed on attempt {Attempt}; retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, Exception? failure, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "STS refused AssumeRole for grant {GrantId} on {RoleArn}: {ErrorCode} {Message}")]
    public static partial void StsRefused(ILogger logger, Guid grantId, string roleArn, string errorCode, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach STS for grant {GrantId}: {Error}")]
    public static partial void StsUnreachable(ILogger logger, Guid grantId, string error);
}
