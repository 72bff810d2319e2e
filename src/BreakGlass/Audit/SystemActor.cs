namespace BreakGlass.Audit;

/// <summary>The actor recorded for what BreakGlass does by itself (a window ending, a job, a sweep), not for a person.</summary>
internal static class SystemActor
{
    public const string Name = "breakglass";
}
