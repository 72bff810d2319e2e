namespace BreakGlass.Observability;

/// <summary>A gauge BreakGlass exports; its values come from the <see cref="IGaugeSource"/> of the feature owning the data.</summary>
internal sealed record GaugeDefinition(string Name, string? Unit, string Description);

/// <summary>Every gauge of <see cref="BreakGlassMetrics"/>: a source may only report these.</summary>
internal static class Gauges
{
    public static readonly GaugeDefinition OpenGrants = new(
        "breakglass.open_grants", null, "Grants Issuing or Active: sessions that may be in use now.");

    public static readonly GaugeDefinition RevocationFailedGrants = new(
        "breakglass.revocation_failed_grants", null, "Grants in RevocationFailed: their sessions may still be alive (critical).");

    public static readonly GaugeDefinition OutboxBacklog = new(
        "breakglass.outbox.backlog", null, "Outbox rows not yet delivered, by outbox.");

    public static readonly GaugeDefinition OutboxOldestAge = new(
        "breakglass.outbox.oldest_age", "s", "Age of the oldest outbox row not yet delivered, by outbox (0 when none waits).");

    public static readonly GaugeDefinition ReviewsPending = new(
        "breakglass.reviews.pending", null, "Closed grants waiting for a review decision, not yet overdue.");

    public static readonly GaugeDefinition ReviewsOverdue = new(
        "breakglass.reviews.overdue", null, "Closed grants whose review is overdue (Review:DueAfterHours).");

    public static readonly GaugeDefinition PreflightFailing = new(
        "breakglass.preflight.failing", null, "Roles that failed the last preflight (0 when it passed or none ran).");

    public static readonly IReadOnlyList<GaugeDefinition> All =
        [OpenGrants, RevocationFailedGrants, OutboxBacklog, OutboxOldestAge, ReviewsPending, ReviewsOverdue, PreflightFailing];
}
