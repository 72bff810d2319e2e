using BreakGlass.Evidence;
using BreakGlass.Grants;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Reviews;

internal enum ReviewQueueStatus { Pending, Overdue, Done }

internal sealed record ReviewItem(
    GrantResponse Grant,
    DateTimeOffset ReviewableSince,
    DateTimeOffset DueAt,
    bool Overdue,
    string EvidenceCompleteness,
    string EvidenceSha256,
    EvidenceSummary EvidenceSummary,
    ReviewView? Decision,
    IReadOnlyList<ReviewView> DecisionHistory);

/// <summary>The reviewers' queue: closed grants whose evidence is complete (or whose final pass is overdue), by due time.</summary>
internal sealed class ReviewQueue(
    NpgsqlDataSource database,
    GrantViews views,
    EvidenceStore evidence,
    IOptionsMonitor<ReviewOptions> options,
    TimeProvider time)
{
    /// <summary>The queue's page of grant ids, by the time each became reviewable.</summary>
    internal static (string Sql, object Parameters) Query(ReviewQueueStatus status, int limit, DateTimeOffset now, ReviewOptions settings) => (
        $"""
        SELECT g.id, coalesce(e.final_pass_at, e.final_pass_due_at + @grace) AS reviewable_since
        FROM grants g
        JOIN evidence e ON e.grant_id = g.id
        WHERE {GrantStore.NotDrill} AND CASE @status
            WHEN 'Done' THEN {ReviewRecords.HasDecision}
            ELSE NOT {ReviewRecords.HasDecision}
                 AND (g.status = @awaitingReview OR (g.status = @collectingEvidence AND e.final_pass_due_at + @grace <= @now))
                 AND ((@status = 'Overdue') = (coalesce(e.final_pass_at, e.final_pass_due_at + @grace) + @due <= @now))
            END
        ORDER BY reviewable_since, g.id
        LIMIT @limit
        """,
        new
        {
            status = status.ToString(), now, limit,
            awaitingReview = nameof(GrantStatus.AwaitingReview), collectingEvidence = nameof(GrantStatus.CollectingEvidence),
            grace = TimeSpan.FromMinutes(settings.FinalPassGraceMinutes),
            due = TimeSpan.FromHours(settings.DueAfterHours),
        });

    public async Task<IReadOnlyList<ReviewItem>> ListAsync(ReviewQueueStatus status, int limit, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var now = time.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var (sql, parameters) = Query(status, limit, now, settings);
        var rows = (await connection.QueryAsync<(Guid GrantId, DateTimeOffset ReviewableSince)>(sql, parameters)).AsList();
        var grants = (await connection.QueryAsync<Grant>(
            $"SELECT {GrantStore.Columns} FROM grants WHERE id = ANY(@ids)", new { ids = rows.Select(row => row.GrantId).ToArray() }))
            .ToDictionary(grant => grant.Id);
        var grantViews = (await views.ViewAllAsync(connection, rows.Select(row => grants[row.GrantId]).ToList(), cancellationToken))
            .ToDictionary(view => view.Id);
        var decisions = await ReviewRecords.FindAllAsync(connection, rows.Select(row => row.GrantId).ToArray());
        var reports = await evidence.LoadReportsAsync(rows.Select(row => row.GrantId).ToArray(), cancellationToken);
        var items = new List<ReviewItem>(rows.Count);
        foreach (var (grantId, reviewableSince) in rows)
        {
            var report = reports[grantId];
            var dueAt = reviewableSince.AddHours(settings.DueAfterHours);
            items.Add(new ReviewItem(grantViews[grantId], reviewableSince, dueAt, now >= dueAt,
                report.Completeness, report.Sha256, report.Summary, decisions.GetValueOrDefault(grantId)?.Current,
                decisions.GetValueOrDefault(grantId)?.Decisions ?? []));
        }
        return items;
    }

    /// <summary>How many grants are in the queue with <paramref name="status"/>: the review gauges.</summary>
    public Task<long> CountAsync(NpgsqlConnection connection, ReviewQueueStatus status, CancellationToken cancellationToken)
    {
        var (sql, parameters) = Query(status, int.MaxValue, time.GetUtcNow(), options.CurrentValue);
        return connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT count(*) FROM ({sql}) AS queue", parameters, cancellationToken: cancellationToken));
    }
}
