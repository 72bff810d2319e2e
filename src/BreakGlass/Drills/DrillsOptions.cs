using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Drills;

/// <summary>Drills: a real break-glass on a harmless role, end to end, to prove the emergency path works (docs/drills.md).</summary>
internal sealed class DrillsOptions
{
    public const string Section = "Drills";

    /// <summary>The drill role: a name from <c>Roles</c>, whose AWS role has harmless permissions. No drills without it.</summary>
    public string? Role { get; set; }

    /// <summary>When scheduled drills run (cron, UTC, through Hangfire's recurring jobs); empty means none are scheduled.</summary>
    public string? Schedule { get; set; }

    /// <summary>The drill grant's window; the drill ends it as soon as the credentials have been used.</summary>
    [Range(1, 240)] public int DurationMinutes { get; set; } = 15;

    /// <summary>How long AWS may take to refuse the drill's credentials after the end (IAM changes take seconds to apply).</summary>
    [Range(1, 3600)] public int RefusalDeadlineSeconds { get; set; } = 120;

    /// <summary>How long the drill waits for CloudTrail to deliver its own call (AWS: up to about 15 minutes).</summary>
    [Range(1, 86_400)] public int EvidenceDeadlineSeconds { get; set; } = 1200;

    /// <summary>How often the drill collects its evidence while it waits (each collection spends the shared LookupEvents budget).</summary>
    [Range(1, 3600)] public int EvidencePollSeconds { get; set; } = 60;

    /// <summary>Whether a drill's grant gets a Linear ticket like any other (off: a drill is not an incident).</summary>
    public bool FileTicket { get; set; }
}
