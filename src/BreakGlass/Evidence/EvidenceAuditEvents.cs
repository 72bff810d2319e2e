namespace BreakGlass.Evidence;

/// <summary>Audit events of evidence collection: every hash the evidence ever had is in the audit chain.</summary>
internal static class EvidenceAuditEvents
{
    public const string Partial = "evidence.partial";
    public const string Complete = "evidence.complete";
    /// <summary>A later run found events the earlier passes had not: the hash a reviewer signs changed.</summary>
    public const string Updated = "evidence.updated";
}
