using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Revocation;

internal sealed class RevocationOptions
{
    public const string Section = "Revocation";

    /// <summary>How often the sweeper looks for grants past their window that are not yet revoked (the source of truth; the scheduled job is the fast path).</summary>
    [Range(1, 3600)] public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>After this many failed attempts a grant becomes <c>RevocationFailed</c> and an alert is raised; retries go on.</summary>
    [Range(1, 100)] public int AlertAfterAttempts { get; set; } = 3;
}
