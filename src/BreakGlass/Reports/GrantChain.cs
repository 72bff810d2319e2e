using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Reviews;
using Dapper;
using Npgsql;

namespace BreakGlass.Reports;

internal sealed record AuditEventView(long Sequence, DateTimeOffset OccurredAt, string EventType, string Actor, JsonElement Data, string PreviousHash, string Hash);

internal sealed record CredentialIssue(string AccessKeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, long? AuditSequence);

internal sealed record EvidenceOverview(
    string Completeness, DateTimeOffset? FirstPassAt, DateTimeOffset? FinalPassAt, string Sha256, int RulesVersion, EvidenceSummary Summary);

/// <summary>One grant's whole chain of evidence: request and policy decision, ticket, credentials, revocation, evidence, review, and every audit event.</summary>
/// <param name="Review">The current decision; <paramref name="ReviewHistory"/> holds every decision, oldest first.</param>
internal sealed record GrantChain(
    GrantResponse Grant,
    IReadOnlyList<CredentialIssue> Credentials,
    EvidenceOverview Evidence,
    ReviewView? Review,
    IReadOnlyList<ReviewView> ReviewHistory,
    IReadOnlyList<AuditEventView> AuditEvents);

internal sealed class GrantChains(NpgsqlDataSource database, GrantViews views, EvidenceStore evidence)
{
    internal const string EventsSql =
        """
        SELECT sequence, occurred_at AS OccurredAt, grant_id AS GrantId, event_type AS EventType, actor, data,
               previous_hash AS PreviousHash, hash
        FROM audit_events WHERE grant_id = @grantId ORDER BY sequence
        """;

    public async Task<(GrantChain Chain, EvidenceReport Report)> LoadAsync(Guid grantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var grant = await GrantStore.FindAsync(connection, grantId) ?? throw new NotFoundException($"No grant {grantId} exists.");
        var events = (await connection.QueryAsync<AuditEvent>(EventsSql, new { grantId }))
            .Select(row => new AuditEventView(row.Sequence, row.OccurredAt, row.EventType, row.Actor,
                JsonDocument.Parse(row.Data).RootElement.Clone(), row.PreviousHash, row.Hash))
            .ToList();
        var credentials = (await connection.QueryAsync<(string AccessKeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)>(
                "SELECT access_key_id, issued_at, expires_at FROM grant_credentials WHERE grant_id = @grantId ORDER BY issued_at", new { grantId }))
            .Select(row => new CredentialIssue(row.AccessKeyId, row.IssuedAt, row.ExpiresAt,
                events.FirstOrDefault(e => e.Data.ValueKind == JsonValueKind.Object
                                           && e.Data.TryGetProperty("accessKeyId", out var key) && key.GetString() == row.AccessKeyId)?.Sequence))
            .ToList();
        var report = (await evidence.LoadReportAsync(grantId, cancellationToken))!;
        var reviews = await ReviewRecords.FindAsync(connection, grantId);
        var chain = new GrantChain(
            await views.ViewAsync(grant, null, cancellationToken),
            credentials,
            new EvidenceOverview(report.Completeness, report.FirstPassAt, report.FinalPassAt, report.Sha256, report.RulesVersion, report.Summary),
            reviews.Current,
            reviews.Decisions,
            events);
        return (chain, report);
    }

    /// <summary>The grant's evidence pack, with the chain head as it is now.</summary>
    public async Task<(byte[] Content, string FileName)> ExportAsync(Guid grantId, CancellationToken cancellationToken)
    {
        var (chain, report) = await LoadAsync(grantId, cancellationToken);
        var head = await HeadAsync(cancellationToken);
        return (EvidencePack.Build(chain, report, head), $"breakglass-{grantId}.zip");
    }

    /// <summary>The chain head now: read after the grant's chain, so it is never older than the grant's last event.</summary>
    public async Task<ChainHead> HeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await AuditLog.HeadAsync(connection) ?? throw new InvalidOperationException("the audit chain is empty, yet a grant exists");
    }
}
