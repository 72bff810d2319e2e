namespace BreakGlass.Drills;

/// <summary>One stage of a drill, as it finished: <see cref="Seconds"/> from its start to its end.</summary>
internal sealed record DrillStage(string Name, bool Ok, double Seconds, string Detail);

/// <summary>A drill as stored and shown: <see cref="Passed"/> is null while it runs.</summary>
internal sealed record Drill(
    Guid Id,
    string Role,
    string RequestedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    bool? Passed,
    Guid? GrantId,
    IReadOnlyList<DrillStage> Stages);

internal sealed record DrillStarted(Guid Id);

/// <summary>The stage names, in the order a drill runs them.</summary>
internal static class DrillStages
{
    public const string Credentials = "credentials";
    public const string Use = "use";
    public const string End = "end";
    public const string Refusal = "refusal";
    public const string Evidence = "evidence";
    /// <summary>A drill found unfinished when its job ran again (its instance died mid-drill).</summary>
    public const string Interrupted = "interrupted";
}

internal static class DrillAuditEvents
{
    public const string Started = "drill.started";

    /// <summary>A drill's record, with <c>passed</c> and its stages (a failed one is mapped to the <c>check.failed</c> notification).</summary>
    public const string Completed = "drill.completed";
}
