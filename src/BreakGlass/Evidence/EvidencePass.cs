namespace BreakGlass.Evidence;

/// <summary>
/// The first pass runs once CloudTrail has probably delivered the session's events (partial evidence); the
/// final pass runs late enough to catch stragglers (complete evidence).
/// </summary>
internal enum EvidencePass
{
    First,
    Final,
}
