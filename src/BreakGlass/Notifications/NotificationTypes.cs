namespace BreakGlass.Notifications;

/// <summary>The notification types: the body's <c>type</c> and the names routes subscribe to.</summary>
internal static class NotificationTypes
{
    public const string GrantIssued = "grant.issued";
    public const string GrantEnded = "grant.ended";
    public const string RevocationFailing = "revocation.failing";
    public const string DenyDrift = "deny.drift";
    public const string EvidenceComplete = "evidence.complete";
    public const string ReviewOverdue = "review.overdue";
    public const string ReviewDecided = "review.decided";
    public const string RoleRevokedAll = "role.revoked_all";
    public const string CheckFailed = "check.failed";

    public static readonly IReadOnlyList<string> All =
        [GrantIssued, GrantEnded, RevocationFailing, DenyDrift, EvidenceComplete, ReviewOverdue, ReviewDecided, RoleRevokedAll, CheckFailed];
}

/// <summary>How loudly a notification speaks: critical ones call for someone now.</summary>
internal static class NotificationSeverity
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";
}
