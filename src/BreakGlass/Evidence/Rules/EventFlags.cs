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
    /// <summary>Made after the grant ended, whether AWS accepted it or refused it.</summary>
    AfterEnd = 16,
}
