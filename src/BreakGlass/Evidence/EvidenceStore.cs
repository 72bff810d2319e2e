using System.Data;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence.LeastPrivilege;
using BreakGlass.Evidence.Rules;
using BreakGlass.Grants;
using Dapper;
using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>Reads a grant's evidence as one consistent snapshot.</summary>
internal sealed class EvidenceStore(NpgsqlDataSource database, SeverityRules rules)
{
    /// <returns>Null when the grant does not exist.</returns>
    public async Task<EvidenceReport?> LoadReportAsync(Guid grantId, CancellationToken cancellationToken) =>
        (await LoadReportsAsync([grantId], cancellationToken)).GetValueOrDefault(grantId);

    /// <summary>The reports of many grants (a review queue's page) from one snapshot, in two queries; grants that do not exist are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, EvidenceReport>> LoadReportsAsync(IReadOnlyCollection<Guid> grantIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // One snapshot: a pass committing between the two reads must not pair new events with an old hash.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var reports = await LoadAllAsync(connection, transaction, grantIds, rules, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return reports;
    }

    /// <param name="rules">Name what each event touched: the names follow the current rules file, so a new entry names old events too.</param>
    internal static async Task<EvidenceReport?> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid grantId, SeverityRules rules, CancellationToken cancellationToken) =>
        (await LoadAllAsync(connection, transaction, [grantId], rules, cancellationToken)).GetValueOrDefault(grantId);

    private static async Task<IReadOnlyDictionary<Guid, EvidenceReport>> LoadAllAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<Guid> grantIds, SeverityRules rules, CancellationToken cancellationToken)
    {
        var rows = (await connection.QueryAsync<EvidenceRow>(
            """
            SELECT g.id AS GrantId, e.grant_id IS NOT NULL AS Planned, e.completeness, e.first_pass_at AS FirstPassAt,
                   e.final_pass_at AS FinalPassAt, e.final_pass_due_at AS FinalPassDueAt, e.sha256, e.rules_version AS RulesVersion,
                   g.role_arn AS RoleArn, g.requester, g.requester_name AS RequesterName, g.role_name AS Role, g.reason, g.requested_at AS RequestedAt,
                   g.expires_at AS ExpiresAt, g.ended_at AS EndedAt, g.end_reason AS EndReason,
                   coalesce(t.identifier, g.ticket_reference) AS Ticket, t.url AS TicketUrl
            FROM grants g LEFT JOIN evidence e ON e.grant_id = g.id LEFT JOIN tickets t ON t.grant_id = g.id
            WHERE g.id = ANY(@grantIds)
            """,
            new { grantIds = grantIds.ToArray() }, transaction)).AsList();
        var events = await EventsAsync(connection, transaction, rows.Where(row => row.Planned).Select(row => row.GrantId).ToArray(), rules.Resources, cancellationToken);
        var accessKeyIds = await GrantStore.AccessKeyIdsAsync(connection, rows.Where(row => row.Planned).Select(row => row.GrantId).ToArray());
        var reports = new Dictionary<Guid, EvidenceReport>(rows.Count);
        foreach (var row in rows)
        {
            var grant = new EvidenceGrant(row.Requester, row.RequesterName, row.Role, row.Reason, row.RequestedAt, row.ExpiresAt, row.EndedAt,
                row.EndReason, row.Ticket, row.TicketUrl);
            if (!row.Planned)
            {
                reports[row.GrantId] = new EvidenceReport(row.GrantId, EvidenceCompleteness.None, null, null, null,
                    EvidenceHash.Compute(row.GrantId, EvidenceCompleteness.None, null, null, []), grant, EvidenceSummaries.Of([]), [], rules.Version,
                    LeastPrivilegeAdvisor.Default.Suggest([], row.RoleArn, [], EvidenceCompleteness.None));
                continue;
            }
            var grantEvents = events.GetValueOrDefault(row.GrantId) ?? [];
            reports[row.GrantId] = new EvidenceReport(row.GrantId, row.Completeness!, row.FirstPassAt, row.FinalPassAt, row.FinalPassDueAt, row.Sha256!,
                grant, EvidenceSummaries.Of(grantEvents), grantEvents, row.RulesVersion!.Value,
                LeastPrivilegeAdvisor.Default.Suggest(grantEvents, row.RoleArn, [.. accessKeyIds[row.GrantId]], row.Completeness!));
        }
        return reports;
    }

    /// <summary>Per grant: calls after the grant ended first, then those that create lasting access, then most severe first, then by time.</summary>
    private static async Task<Dictionary<Guid, List<EvidenceEvent>>> EventsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid[] grantIds, ResourceNamer resources, CancellationToken cancellationToken)
    {
        var events = new Dictionary<Guid, List<EvidenceEvent>>();
        if (grantIds.Length == 0) return events;
        await using var command = new NpgsqlCommand(
            """
            SELECT event_id, event_time, event_source, event_name, read_only, severity, rule_id, reasons, flags,
                   error_code, aws_region, source_ip, user_agent, access_key_id, resources, raw::text, grant_id
            FROM evidence_events
            WHERE grant_id = ANY($1)
            ORDER BY grant_id, 'after-end' = ANY(flags) DESC, 'persistence' = ANY(flags) DESC, array_position(ARRAY['critical', 'high', 'info'], severity), event_time, event_id COLLATE "C"
            """,
            connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = grantIds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var record = CloudTrailRecord.Parse(reader.GetString(15));
            var flags = reader.GetFieldValue<string[]>(8);
            var errorCode = NullableString(reader, 9);
            var grantId = reader.GetGuid(16);
            if (!events.TryGetValue(grantId, out var grantEvents)) events[grantId] = grantEvents = [];
            grantEvents.Add(new EvidenceEvent(
                EventId: reader.GetString(0),
                EventTime: new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero),
                EventSource: reader.GetString(2),
                EventName: reader.GetString(3),
                ReadOnly: reader.GetBoolean(4),
                Severity: reader.GetString(5),
                RuleId: NullableString(reader, 6),
                Reasons: reader.GetFieldValue<string[]>(7),
                Flags: flags,
                ErrorCode: errorCode,
                Outcome: EventOutcome.Of(errorCode, flags),
                Touched: resources.Touched(record),
                Change: resources.ChangeOf(record),
                AwsRegion: NullableString(reader, 10),
                SourceIpAddress: NullableString(reader, 11),
                UserAgent: NullableString(reader, 12),
                AccessKeyId: NullableString(reader, 13),
                Resources: reader.GetFieldValue<string[]>(14),
                Raw: record.Raw));
        }
        return events;
    }

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed record EvidenceRow(
        Guid GrantId, bool Planned, string? Completeness, DateTimeOffset? FirstPassAt, DateTimeOffset? FinalPassAt,
        DateTimeOffset? FinalPassDueAt, string? Sha256, int? RulesVersion, string RoleArn, string Requester, string RequesterName, string Role, string Reason,
        DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, DateTimeOffset? EndedAt, string? EndReason, string? Ticket, string? TicketUrl);
}
