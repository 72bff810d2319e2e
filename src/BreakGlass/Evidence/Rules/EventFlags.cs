namespace BreakGlass.Evidence.Rules;

[Flags]
internal enum EventFlags
{
    None = 0,
    Error = 1,
    AccessDenied = 2,
    TargetsBreakGlassRole = 4,
}
