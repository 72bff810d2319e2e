using BreakGlass.Evidence.Rules;

namespace BreakGlass.Evidence;

/// <summary>Severities and flags as the evidence API and the database spell them.</summary>
internal static class EvidenceSeverity
{
    public const string Critical = "critical";
    public const string High = "high";
    public const string Info = "info";

    /// <summary>The flag of events that create lasting access; the review shows them first after <see cref="AfterEnd"/>.</summary>
    public const string Persistence = "persistence";

    /// <summary>The flag of calls made after the grant ended, accepted or refused; the review shows them first of all.</summary>
    public const string AfterEnd = "after-end";

    public const string AccessDenied = "accessDenied";

    /// <summary>Most severe first.</summary>
    public static readonly IReadOnlyList<string> Ordered = [Critical, High, Info];

    public static string Name(Severity severity) => severity switch
    {
        Severity.Critical => Critical,
        Severity.High => High,
        _ => Info,
    };

    public static IReadOnlyList<string> FlagNames(EventFlags flags)
    {
        var names = new List<string>(5);
        if (flags.HasFlag(EventFlags.AfterEnd)) names.Add(AfterEnd);
        if (flags.HasFlag(EventFlags.Error)) names.Add("error");
        if (flags.HasFlag(EventFlags.AccessDenied)) names.Add(AccessDenied);
        if (flags.HasFlag(EventFlags.TargetsBreakGlassRole)) names.Add("targetsBreakGlassRole");
        if (flags.HasFlag(EventFlags.Persistence)) names.Add(Persistence);
        return names;
    }
}
