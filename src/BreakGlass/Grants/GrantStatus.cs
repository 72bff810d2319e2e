namespace BreakGlass.Grants;

/// <summary>The grant lifecycle (docs/design.md): each state names what BreakGlass is doing, or has done, with the exception.</summary>
internal enum GrantStatus
{
    /// <summary>Row and revocation job committed; credentials being minted.</summary>
    Issuing,
    /// <summary>STS refused: nothing was issued.</summary>
    Failed,
    Active,
    /// <summary>Window over or ended early; the IAM deny is being put in place.</summary>
    Revoking,
    Revoked,
    /// <summary>Revocation keeps failing: persisted, listable and alerted, and still retried by the sweeper.</summary>
    RevocationFailed,
    CollectingEvidence,
    AwaitingReview,
    Approved,
    Flagged,
}

internal static class GrantStatuses
{
    private static readonly Dictionary<GrantStatus, GrantStatus[]> Allowed = new()
    {
        [GrantStatus.Issuing] = [GrantStatus.Active, GrantStatus.Failed, GrantStatus.Revoking],
        [GrantStatus.Active] = [GrantStatus.Revoking],
        [GrantStatus.Revoking] = [GrantStatus.Revoked, GrantStatus.RevocationFailed],
        [GrantStatus.RevocationFailed] = [GrantStatus.Revoked],
        [GrantStatus.Revoked] = [GrantStatus.CollectingEvidence],
        // A review may go ahead on partial evidence when the final pass is overdue (Review:FinalPassGraceMinutes).
        [GrantStatus.CollectingEvidence] = [GrantStatus.AwaitingReview, GrantStatus.Approved, GrantStatus.Flagged],
        [GrantStatus.AwaitingReview] = [GrantStatus.Approved, GrantStatus.Flagged],
        [GrantStatus.Failed] = [],
        // A decision is corrected, never erased: a flag may supersede an approval (Reviews/ReviewDecisions.cs), never the reverse.
        [GrantStatus.Approved] = [GrantStatus.Flagged],
        [GrantStatus.Flagged] = [],
    };

    public static bool CanMove(GrantStatus from, GrantStatus to) => Allowed[from].Contains(to);

    /// <summary>The states from which a move to <paramref name="to"/> is legal: the compare-and-set's expected values.</summary>
    public static GrantStatus[] From(GrantStatus to) => Allowed.Where(pair => pair.Value.Contains(to)).Select(pair => pair.Key).ToArray();

    /// <summary>States in which AWS may still honour the grant's credentials unless BreakGlass denies them.</summary>
    public static readonly GrantStatus[] Open = [GrantStatus.Issuing, GrantStatus.Active, GrantStatus.Revoking, GrantStatus.RevocationFailed];

    /// <summary>States after the IAM deny is in place.</summary>
    public static bool IsRevoked(GrantStatus status) =>
        status is GrantStatus.Revoked or GrantStatus.CollectingEvidence or GrantStatus.AwaitingReview or GrantStatus.Approved or GrantStatus.Flagged;
}
