using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Aws.Sts;
using BreakGlass.Grants;
using BreakGlass.Observability;
using BreakGlass.Revocation;
using BreakGlass.Storage;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Evidence;

internal enum PassOutcome
{
    Recorded,
    /// <summary>The pass had already run (a job after the sweeper, or the other way round).</summary>
    AlreadyDone,
    /// <summary>Another worker, in this instance or another, is collecting this grant's evidence right now.</summary>
    Busy,
    /// <summary>No plan is committed for the grant: it is not revoked (yet).</summary>
    NotPlanned,
}

/// <summary>Runs a collection pass for one grant: every source, over the session's window, recorded in one transaction.</summary>
internal sealed class EvidenceCollector(
    NpgsqlDataSource database,
    EvidenceSources sources,
    EvidenceRecorder recorder,
    IOptionsMonitor<EvidenceOptions> options,
    TimeProvider time,
    ILogger<EvidenceCollector> logger)
{
    /// <summary>Runs <paramref name="pass"/> unless it already ran: what the jobs and the sweeper call.</summary>
    public Task<PassOutcome> RunPendingAsync(Guid grantId, EvidencePass pass, CancellationToken cancellationToken) =>
        RunAsync(grantId, pass, onlyIfPending: true, cancellationToken);

    /// <summary>Collects again even if the pass ran: stored events stay as they are and only new ones are added.</summary>
    public Task<PassOutcome> RerunAsync(Guid grantId, EvidencePass pass, CancellationToken cancellationToken) =>
        RunAsync(grantId, pass, onlyIfPending: false, cancellationToken);

    private async Task<PassOutcome> RunAsync(Guid grantId, EvidencePass pass, bool onlyIfPending, CancellationToken cancellationToken)
    {
        using var grantTelemetry = Telemetry.ForGrant(logger, grantId, $"evidence {pass.ToString().ToLowerInvariant()} pass");
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        // Two workers collecting one grant would only spend the shared LookupEvents budget twice.
        if (!await AdvisoryLocks.EvidenceCollection.TryTakeAsync(connection, grantId))
        {
            return PassOutcome.Busy;
        }
        try
        {
            var plan = await connection.QuerySingleOrDefaultAsync<(DateTimeOffset? FirstPassAt, DateTimeOffset? FinalPassAt)?>(
                "SELECT first_pass_at, final_pass_at FROM evidence WHERE grant_id = @grantId", new { grantId });
            if (plan is not { } passes) return PassOutcome.NotPlanned;
            if (onlyIfPending && (pass == EvidencePass.First ? passes.FirstPassAt : passes.FinalPassAt) is not null) return PassOutcome.AlreadyDone;

            var grant = (await GrantStore.FindAsync(connection, grantId))!;
            var window = await WindowOfAsync(connection, grant);
            try
            {
                var startedAt = time.GetUtcNow();
                var records = await sources.ReadAsync(window, cancellationToken);
                var report = await recorder.RecordPassAsync(connection, grant, pass, startedAt, records, cancellationToken);
                EvidenceLog.PassRecorded(logger, pass, grantId, report.Summary.TotalEvents, report.Summary.BySeverity[EvidenceSeverity.Critical],
                    report.Completeness, report.Sha256);
                return PassOutcome.Recorded;
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                await RecordFailureAsync(connection, grant, pass, failure);
                throw;
            }
        }
        finally
        {
            // A broken connection has lost its session lock with it.
            if (connection.State == System.Data.ConnectionState.Open)
                await AdvisoryLocks.EvidenceCollection.ReleaseAsync(connection, grantId);
        }
    }

    /// <summary>
    /// From the request to the last moment the session could still act: the end, the revocation (later than the end
    /// when it kept failing), the last failed revocation, or the expiry of the last credentials, whichever is latest;
    /// widened by the margin for clock skew between AWS and BreakGlass.
    /// </summary>
    private async Task<SessionWindow> WindowOfAsync(NpgsqlConnection connection, Grant grant)
    {
        var margin = TimeSpan.FromSeconds(options.CurrentValue.WindowMarginSeconds);
        var revocation = await AuditLog.LastOccurredAtAsync(connection, grant.Id, RevocationAuditEvents.Revoked, RevocationAuditEvents.Failed);
        DateTimeOffset[] ends = [grant.EndedAt ?? grant.ExpiresAt, grant.CredentialsExpireAt, revocation ?? DateTimeOffset.MinValue];
        var session = new SessionIdentity(
            RoleArn.AccountId(grant.RoleArn),
            RoleArn.RoleName(grant.RoleArn),
            await GrantStore.AccessKeyIdsAsync(connection, grant.Id),
            AssumeRoleParameters.RoleSessionName(grant),
            AssumeRoleParameters.SourceIdentity(grant.Requester));
        return new SessionWindow(session, grant.RequestedAt - margin, ends.Max() + margin);
    }

    private async Task RecordFailureAsync(NpgsqlConnection connection, Grant grant, EvidencePass pass, Exception failure)
    {
        var error = $"{failure.GetType().Name}: {failure.Message}";
        int attempts;
        try
        {
            // Backs off from 30 s to 30 min with jitter, so a long AWS outage is not retried every sweep.
            attempts = await connection.ExecuteScalarAsync<int>(
                """
                UPDATE evidence SET attempts = attempts + 1, last_error = @error,
                    next_attempt_at = now() + make_interval(secs => least(1800, 30 * power(2, attempts)) * (0.8 + random() * 0.4))
                WHERE grant_id = @Id RETURNING attempts
                """,
                new { error, grant.Id });
        }
        catch (NpgsqlException storage)
        {
            EvidenceLog.FailureNotRecorded(logger, storage, grant.Id);
            return;
        }
        if (attempts >= options.CurrentValue.AlertAfterAttempts)
            EvidenceLog.PassKeepsFailing(logger, pass, grant.Id, grant.RoleName, grant.Requester, attempts, error);
        else
            EvidenceLog.PassFailed(logger, pass, grant.Id, grant.RoleName, grant.Requester, attempts, error);
    }
}
