namespace BreakGlass.Evidence;

internal static class EvidenceCompleteness
{
    public const string None = "none";
    public const string Partial = "partial";
    public const string Complete = "complete";

    /// <summary>Completeness only grows: it follows from which passes have run.</summary>
    public static string Of(DateTimeOffset? firstPassAt, DateTimeOffset? finalPassAt) =>
        finalPassAt is not null ? Complete : firstPassAt is not null ? Partial : None;
}
