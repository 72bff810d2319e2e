namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// How long the tests wait for a process they start (moto, LocalAws, BreakGlass) to listen. An "until" bound: a
/// healthy start takes seconds, but a loaded two-core CI box running several suites has been seen to need more
/// than a minute, and waiting longer costs nothing when the start is healthy.
/// </summary>
internal static class StartupPatience
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
}
