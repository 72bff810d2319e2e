namespace BreakGlass.Preflight;

/// <summary>One check of one role: its name (see <see cref="PreflightChecks"/>), whether it passed, and what was found.</summary>
internal sealed record PreflightCheck(string Name, bool Ok, string Detail);

/// <summary>Every check of one configured role, in its account.</summary>
internal sealed record RolePreflight(string Role, string Account, bool Ok, IReadOnlyList<PreflightCheck> Checks);

/// <summary>The answer of <c>GET /api/preflight</c> and of the daily run: ok only when every role passed every check.</summary>
internal sealed record PreflightReport(bool Ok, DateTimeOffset CheckedAt, IReadOnlyList<RolePreflight> Roles);

/// <summary>The checks' names, as they appear in reports, audit events and logs.</summary>
internal static class PreflightChecks
{
    public const string AgentAssumable = "agent-assumable";
    public const string DenyReadWrite = "deny-read-write";
    public const string TrustNamesBroker = "trust-names-broker";
    public const string LookupEvents = "lookup-events";
}
