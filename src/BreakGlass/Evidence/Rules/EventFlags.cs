namespace BreakGlass.Evidence.Rules;

[Flags]
internal enum EventFlags
{
    None = 0,
    Error = 1,
    AccessDenied = 2,
    TargetsBreakGlassRole = 4,
    /// <summary>Creates access that outlives the session (a user, key, trust, policy, public exposure).</summary>
    Persistence = 8,
}
