namespace BreakGlass.Evidence.Rules;

/// <summary>How much a reviewer should care about an event; a larger value is more severe.</summary>
internal enum Severity
{
    Info = 0,
    High = 1,
    Critical = 2,
}
