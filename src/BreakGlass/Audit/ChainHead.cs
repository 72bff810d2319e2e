namespace BreakGlass.Audit;

/// <summary>
/// The newest event of the audit chain. Kept outside the database (in an evidence pack, a ticket comment, an
/// auditor's notes) it anchors the chain: deleting the newest events leaves a chain that still verifies, but no
/// longer holds this head.
/// </summary>
internal sealed record ChainHead(long Sequence, string Hash)
{
    public static ChainHead Of(AuditEvent appended) => new(appended.Sequence, appended.Hash);
}
