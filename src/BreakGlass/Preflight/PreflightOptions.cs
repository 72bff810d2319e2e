using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Preflight;

internal sealed class PreflightOptions
{
    public const string Section = "Preflight";

    /// <summary>When the scheduled preflight runs (cron, UTC): daily at 06:00 by default, before the working day.</summary>
    [Required] public string Schedule { get; set; } = "0 6 * * *";
}
