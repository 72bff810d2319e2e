using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Evidence.Rules;
using BreakGlass.Grants;
using BreakGlass.Observability;
using BreakGlass.Tickets;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace BreakGlass.Evidence;

/// <summary>
/// Commits one pass: the new events, the pass time, the recomputed hash and summary, the grant's move and the
/// audit event, all in one transaction, so the stored hash always matches the stored events.
/// </summary>
internal sealed class EvidenceRecorder(AuditLog audit, SeverityRules rules, TimeProvider time, TicketOutbox tickets)
{
    private const int InsertsPerBatch = 500;

    /// <param name="startedAt">When the pass began asking the sources: what it found is the evidence as of then.</param>
    public async Task<EvidenceReport> RecordPassAsync(
        NpgsqlConnection connection, Grant grant, EvidencePass pass, DateTimeOffset startedAt, IReadOnlyList<CollectedRecord> records,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var before = await connection.QuerySingleAsync<(string Completeness, string Sha256)>(
            "SELECT completeness, sha256 FROM evidence WHERE grant_id = @Id FOR UPDATE", new { grant.Id }, transaction);
        var passAt = EvidenceHash.ToStoredPrecision(startedAt);
        var added = await InsertEventsAsync(connection, transaction, grant, records, time.GetUtcNow(), cancellationToken);
        await connection.ExecuteAsync(
            """
            UPDATE evidence SET
                first_pass_at = coalesce(first_pass_at, @passAt),
                final_pass_at = CASE WHEN @final THEN coalesce(final_pass_at, @passAt) ELSE final_pass_at END,
                completeness = CASE WHEN @final OR final_pass_at IS NOT NULL THEN 'complete' ELSE 'partial' END,
                rules_version = @Version, attempts = 0, last_error = NULL, next_attempt_at = NULL
            WHERE grant_id = @Id
            """,
            new { passAt, final = pass == EvidencePass.Final, rules.Version, grant.Id }, transaction);

        var stored = (await EvidenceStore.LoadAsync(connection, transaction, grant.Id, rules, cancellationToken))!;
        var report = stored with { Sha256 = EvidenceHash.Of(stored) };
        await connection.ExecuteAsync(
            "UPDATE evidence SET sha256 = @Sha256, summary = CAST(@summary AS jsonb) WHERE grant_id = @GrantId",
            new { report.Sha256, summary = JsonSerializer.Serialize(report.Summary, EvidencePlanner.SummaryJson), report.GrantId }, transaction);

        await GrantStore.TryMoveAsync(connection, transaction, grant.Id, GrantStatus.CollectingEvidence);
        if (report.Completeness == EvidenceCompleteness.Complete)
        {
            await GrantStore.TryMoveAsync(connection, transaction, grant.Id, GrantStatus.AwaitingReview);
        }
        var change = report.Completeness != before.Completeness
            ? (report.Completeness == EvidenceCompleteness.Complete ? EvidenceAuditEvents.Complete : EvidenceAuditEvents.Partial)
            : report.Sha256 != before.Sha256 ? EvidenceAuditEvents.Updated : null;
        AuditEvent? appended = null;
        if (change is not null)
        {
            appended = await audit.AppendAsync(connection, transaction, grant.Id, change, SystemActor.Name, new Dictionary<string, object?>
            {
                ["sha256"] = report.Sha256,
                ["completeness"] = report.Completeness,
                ["pass"] = pass.ToString().ToLowerInvariant(),
                ["events"] = report.Summary.TotalEvents,
                ["newEvents"] = added,
                ["critical"] = report.Summary.BySeverity[EvidenceSeverity.Critical],
                ["persistence"] = report.Summary.Persistence,
                ["rulesVersion"] = report.RulesVersion,
            });
        }
        if (change == EvidenceAuditEvents.Complete)
        {
            await tickets.EnqueueCommentAsync(connection, transaction, grant.Id, EvidenceComment.DedupeKey,
                EvidenceComment.Render(report, ChainHead.Of(appended!)));
        }
        await transaction.CommitAsync(cancellationToken);
        if (change is EvidenceAuditEvents.Partial or EvidenceAuditEvents.Complete)
        {
            BreakGlassMetrics.EvidenceRecorded(report.Completeness, time.GetUtcNow() - (grant.EndedAt ?? grant.ExpiresAt));
        }
        return report;
    }

    /// <returns>How many events were new; an event id already stored for the grant is left as it is.</returns>
    private async Task<int> InsertEventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Grant grant, IReadOnlyList<CollectedRecord> records,
        DateTimeOffset collectedAt, CancellationToken cancellationToken)
    {
        var roleName = RoleArn.RoleName(grant.RoleArn);
        var endedAt = grant.EndedAt ?? grant.ExpiresAt;
        var unique = records.DistinctBy(collected => collected.Record.EventId, StringComparer.Ordinal).ToList();
        var added = 0;
        foreach (var chunk in unique.Chunk(InsertsPerBatch))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var collected in chunk)
            {
                batch.BatchCommands.Add(InsertCommand(grant.Id, collected, rules.Classify(collected.Record, roleName, endedAt), collectedAt));
            }
            added += await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        return added;
    }

    private static NpgsqlBatchCommand InsertCommand(Guid grantId, CollectedRecord collected, Classification classification, DateTimeOffset collectedAt)
    {
        var record = collected.Record;
        var resources = record.Resources.Select(resource => resource.Arn).OfType<string>()
            .Concat(collected.ResourceNames)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO evidence_events (grant_id, event_id, source, event_time, event_source, event_name, read_only, error_code,
                aws_region, source_ip, user_agent, access_key_id, resources, severity, rule_id, reasons, flags, raw, collected_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
            ON CONFLICT (grant_id, event_id) DO NOTHING
            """);
        object?[] values =
        [
            grantId, record.EventId, collected.Source, record.EventTime.UtcDateTime, record.EventSource, record.EventName, record.ReadOnly,
            record.ErrorCode, record.AwsRegion, record.SourceIpAddress, record.UserAgent, record.AccessKeyId, resources,
            EvidenceSeverity.Name(classification.Severity), classification.RuleId, classification.Reasons.ToArray(),
            EvidenceSeverity.FlagNames(classification.Flags).ToArray(),
        ];
        foreach (var value in values)
        {
            command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
        }
        command.Parameters.Add(new NpgsqlParameter { Value = record.Raw.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = collectedAt.UtcDateTime });
        return command;
    }
}
