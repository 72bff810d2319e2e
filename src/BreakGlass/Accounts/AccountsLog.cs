namespace BreakGlass.Accounts;

/// <summary>Accounts' log lines. Operators alert on <c>Critical</c> lines that start with <c>ALERT</c>.</summary>
internal static partial class AccountsLog
{
    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT role {Role} ({RoleArn}) cannot be served: {Reason} Grants on it are refused; the other roles are served.")]
    public static partial void RoleUnusable(ILogger logger, string role, string roleArn, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "ALERT {Problem} The entry is ignored; roles in that account are refused.")]
    public static partial void AccountMisconfigured(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "BreakGlass reaches {Count} member account(s) through their agent roles: {Accounts}")]
    public static partial void MembersConfigured(ILogger logger, int count, string accounts);
}
