using System.Text.Json;
using BreakGlass.Evidence.Rules;
using BreakGlass.Grants;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>Plans a revoked grant's two collection passes.</summary>
internal sealed class EvidencePlanner(
    IBackgroundJobClient jobs,
    SeverityRules rules,
    IOptionsMonitor<EvidenceOptions> options,
    TimeProvider time,
    ILogger<EvidencePlanner> logger)
{
    internal static readonly JsonSerializerOptions SummaryJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Writes the plan in the caller's transaction, the one that moves the grant to Revoked, so a revoked grant
    /// always has one: the sweeper runs whatever the plan says is due. The scheduled jobs are only the fast path.
    /// </summary>
    public async Task PlanAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid grantId)
    {
        var plan = await InsertPlanAsync(connection, transaction, grantId, time.GetUtcNow());
        if (plan is not { } due) return;
        // Hangfire cannot join this NpgsqlTransaction, so the jobs are scheduled before it commits. A job that
        // finds no committed plan does nothing, and if scheduling fails the sweeper still runs the passes.
        try
        {
            jobs.Schedule<EvidencePassJob>(job => job.RunAsync(grantId, EvidencePass.First), due.FirstPass);
            jobs.Schedule<EvidencePassJob>(job => job.RunAsync(grantId, EvidencePass.Final), due.FinalPass);
        }
        catch (BackgroundJobClientException failure)
        {
            EvidenceLog.PassesNotScheduled(logger, grantId, failure.Message);
        }
    }

    /// <summary>Plans revoked grants without a plan (revoked before evidence collection existed), due from when they ended.</summary>
    public async Task<int> PlanMissingAsync(NpgsqlConnection connection)
    {
        var missing = (await connection.QueryAsync<(Guid Id, DateTimeOffset? EndedAt)>(
            "SELECT id, ended_at FROM grants g WHERE status = @revoked AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.grant_id = g.id)",
            new { revoked = nameof(GrantStatus.Revoked) })).AsList();
        foreach (var (grantId, endedAt) in missing)
        {
            await InsertPlanAsync(connection, null, grantId, endedAt ?? time.GetUtcNow());
        }
        return missing.Count;
    }

    /// <summary>
    /// Many revoked grants whose passes found no calls, in one statement: each row as a plan followed by an empty final
    /// pass leaves it (complete, hashed, summarised by the current rules). For loading a large history at once (the
    /// register benchmark); it schedules nothing.
    /// </summary>
    /// <returns>Each grant's evidence hash, in order: what a reviewer signs.</returns>
    public async Task<IReadOnlyList<string>> RecordAllEmptyAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(Guid GrantId, DateTimeOffset RevokedAt, DateTimeOffset PassAt)> grants)
    {
        var settings = options.CurrentValue;
        var passes = grants.Select(grant => (grant.GrantId, RevokedAt: EvidenceHash.ToStoredPrecision(grant.RevokedAt), PassAt: EvidenceHash.ToStoredPrecision(grant.PassAt))).ToList();
        var hashes = passes.Select(pass => EvidenceHash.Compute(pass.GrantId, EvidenceCompleteness.Complete, pass.PassAt, pass.PassAt, [])).ToArray();
        await connection.ExecuteAsync(
            """
            INSERT INTO evidence (grant_id, completeness, first_pass_due_at, final_pass_due_at, first_pass_at, final_pass_at, sha256, rules_version, summary)
            SELECT grant_id, 'complete', first_due, final_due, pass_at, pass_at, sha256, @rulesVersion, CAST(@summary AS jsonb)
            FROM unnest(@grantIds, @firstDue, @finalDue, @passAt, @hashes) AS p (grant_id, first_due, final_due, pass_at, sha256)
            """,
            new
            {
                grantIds = passes.Select(pass => pass.GrantId).ToArray(),
                firstDue = passes.Select(pass => pass.RevokedAt.AddSeconds(settings.DeliveryDelaySeconds)).ToArray(),
                finalDue = passes.Select(pass => pass.RevokedAt.AddSeconds(settings.FinalPassDelaySeconds)).ToArray(),
                passAt = passes.Select(pass => pass.PassAt).ToArray(),
                hashes,
                rulesVersion = rules.Version,
                summary = JsonSerializer.Serialize(EvidenceSummaries.Of([]), SummaryJson),
            },
            transaction);
        return hashes;
    }

    private async Task<(DateTimeOffset FirstPass, DateTimeOffset FinalPass)?> InsertPlanAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId, DateTimeOffset revokedAt)
    {
        var settings = options.CurrentValue;
        revokedAt = EvidenceHash.ToStoredPrecision(revokedAt);
        var firstPassDueAt = revokedAt.AddSeconds(settings.DeliveryDelaySeconds);
        var finalPassDueAt = revokedAt.AddSeconds(settings.FinalPassDelaySeconds);
        var planned = await connection.ExecuteAsync(
            """
            INSERT INTO evidence (grant_id, first_pass_due_at, final_pass_due_at, sha256, rules_version, summary)
            VALUES (@grantId, @firstPassDueAt, @finalPassDueAt, @sha256, @rulesVersion, CAST(@summary AS jsonb))
            ON CONFLICT (grant_id) DO NOTHING
            """,
            new
            {
                grantId, firstPassDueAt, finalPassDueAt,
                sha256 = EvidenceHash.Compute(grantId, EvidenceCompleteness.None, null, null, []),
                rulesVersion = rules.Version,
                summary = JsonSerializer.Serialize(EvidenceSummaries.Of([]), SummaryJson),
            },
            transaction);
        return planned == 1 ? (firstPassDueAt, finalPassDueAt) : null;
    }
}
