using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Tickets;

internal sealed class TicketsOptions
{
    public const string Section = "Tickets";

    /// <summary>How often every instance carries out the ticket actions that are due (the source of truth; the job after a request is the fast path).</summary>
    [Range(1, 3600)] public int SweepIntervalSeconds { get; set; } = 15;
}
