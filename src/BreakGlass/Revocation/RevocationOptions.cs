using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Revocation;

internal sealed class RevocationOptions
{
    public const string Section = "Revocation";

    /// <summary>How often the sweeper looks for grants past their window that are not yet revoked (the source of truth; the scheduled job is the fast path).</summary>
    [Range(1, 3600)] public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>After this many failed attempts a grant becomes <c>RevocationFailed</c> and an alert is raised; retries go on.</summary>
    [Range(1, 100)] public int AlertAfterAttempts { get; set; } = 3;

    /// <summary>How often the reconciler compares every role's deny in IAM with what the database says it must hold.</summary>
    [Range(1, 3600)] public int VerifySeconds { get; set; } = 60;

    /// <summary>How long one IAM request may take before it counts as a failed (and retried) attempt.</summary>
    [Range(1, 120)] public int IamTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// A grant still <c>Issuing</c> this long after it was requested becomes <c>Failed</c>. The issue path gives STS
    /// half of it, so a live request always finishes (or fails) before the sweeper steps in.
    /// </summary>
    [Range(2, 3600)] public int IssuingDeadlineSeconds { get; set; } = 120;

    public TimeSpan IssueBound => TimeSpan.FromSeconds(IssuingDeadlineSeconds / 2.0);
}
