using System.Text.Json;
using System.Transactions;
using Amazon.Runtime;
using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Aws.Sts;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Revocation;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Drills;

/// <summary>
/// Runs a drill: a real break-glass on the drill role through the whole path — issue, use, end, AWS refuses, the
/// evidence holds the drill's own call — each stage timed and recorded. A failed stage ends the drill at once, its
/// grant is ended with it, and the failure is an <c>ALERT</c> and a <c>drill.completed</c> event with <c>passed=false</c>.
/// </summary>
internal sealed class DrillRunner(
    NpgsqlDataSource database,
    GrantIssuer issuer,
    RevocationService revocation,
    EvidenceCollector evidence,
    EvidenceStore evidenceStore,
    DrillSessionCalls calls,
    AuditLog audit,
    IBackgroundJobClient jobs,
    IOptionsMonitor<DrillsOptions> options,
    TimeProvider time,
    ILogger<DrillRunner> logger)
{
    /// <summary>Who a drill's grant is issued to: BreakGlass itself, never a person.</summary>
    public const string Actor = "breakglass-drill";

    private static readonly JsonSerializerOptions StageJson = new(JsonSerializerDefaults.Web);

    /// <summary>Records a new drill and queues its run; the drill, its audit event and its job commit together.</summary>
    public async Task<Guid> StartAsync(string requestedBy, CancellationToken cancellationToken)
    {
        var role = options.CurrentValue.Role;
        if (string.IsNullOrWhiteSpace(role))
        {
            throw new ConflictException("No drill role is configured: set Drills:Role to a name from Roles whose AWS role has harmless permissions (docs/drills.md).");
        }
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        // As for a grant and its revocation: Hangfire enlists in the ambient transaction through the shared data source.
        using var scope = new TransactionScope(
            TransactionScopeOption.Required,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TimeSpan.FromSeconds(30) },
            TransactionScopeAsyncFlowOption.Enabled);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await DrillStore.InsertAsync(connection, id, role, requestedBy, now);
            await audit.AppendAsync(connection, null, null, DrillAuditEvents.Started, requestedBy, new Dictionary<string, object?>
            {
                ["drillId"] = id,
                ["role"] = role,
            });
        }
        jobs.Enqueue<DrillJob>(job => job.RunAsync(id));
        scope.Complete();
        return id;
    }

    public async Task RunAsync(Guid drillId, CancellationToken cancellationToken)
    {
        Drill? drill;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            drill = await DrillStore.FindAsync(connection, drillId);
        }
        if (drill is null || drill.Passed is not null) return;
        var run = new DrillRun(drill);
        if (drill.GrantId is not null || drill.Stages.Count > 0)
        {
            run.Stages.AddRange(drill.Stages);
            // Its instance stopped mid-drill: what it proved is unknown, so it fails, and its grant must not stay live.
            await RecordAsync(run, new DrillStage(DrillStages.Interrupted, false, 0,
                $"the drill stopped after {drill.Stages.Count} stage(s) (its instance went away) and was not resumed: run a new one"));
        }
        else
        {
            var settings = options.CurrentValue;
            _ = await StageAsync(run, DrillStages.Credentials, () => IssueAsync(run, settings, cancellationToken))
                && await StageAsync(run, DrillStages.Use, () => UseAsync(run, cancellationToken))
                && await StageAsync(run, DrillStages.End, () => EndAsync(run, cancellationToken))
                && await StageAsync(run, DrillStages.Refusal, () => AwaitRefusalAsync(run, settings, cancellationToken))
                && await StageAsync(run, DrillStages.Evidence, () => FindOwnCallAsync(run, settings, cancellationToken));
        }
        var passed = run.Stages.Count > 0 && run.Stages.All(stage => stage.Ok);
        if (!passed) await EndIfLiveAsync(drill.Id);
        await FinishAsync(run, passed);
    }

    private async Task<string> IssueAsync(DrillRun run, DrillsOptions settings, CancellationToken cancellationToken)
    {
        var request = new ValidCreateGrantRequest(run.Drill.Role, settings.DurationMinutes,
            $"Drill {run.Drill.Id}: proving the break-glass path works end to end", null);
        var outcome = await issuer.IssueDrillAsync(new DrillGrantRequest(run.Drill.Id, Actor, request, settings.FileTicket), cancellationToken);
        run.Grant = outcome.Grant;
        run.Credentials = outcome.Credentials ?? throw new DrillStageException($"grant {outcome.Grant.Id} was issued without credentials");
        return $"grant {run.Grant.Id} issued on {run.Grant.RoleArn}: key {run.Credentials.AccessKeyId}, valid until {run.Credentials.Expiration:O}";
    }

    private async Task<string> UseAsync(DrillRun run, CancellationToken cancellationToken)
    {
        var arn = await calls.CallerArnAsync(run.Credentials!, cancellationToken);
        if (!arn.Contains($":assumed-role/{RoleArn.RoleName(run.Grant!.RoleArn)}/", StringComparison.Ordinal))
        {
            throw new DrillStageException($"sts:GetCallerIdentity answered {arn}, which is not a session of {run.Grant.RoleArn}");
        }
        var buckets = await calls.ReadAsync(run.Credentials!, cancellationToken);
        return $"sts:GetCallerIdentity answered {arn}; s3:{DrillSessionCalls.ReadEventName} answered ({buckets} bucket(s))";
    }

    private async Task<string> EndAsync(DrillRun run, CancellationToken cancellationToken)
    {
        var grant = run.Grant!;
        await revocation.EndEarlyAsync(grant.Id, Actor, "Drill: the credentials were used, the grant ends at once", cancellationToken);
        var status = await revocation.RevokeAsync(grant.Id, cancellationToken);
        return GrantStatuses.IsRevoked(status)
            ? $"grant {grant.Id} ended and revoked: the deny on {grant.RoleArn} names it, written and read back"
            : throw new DrillStageException($"grant {grant.Id} is {status} after it was ended");
    }

    /// <summary>Asks with the same key until AWS refuses it: an IAM change takes seconds to apply.</summary>
    private async Task<string> AwaitRefusalAsync(DrillRun run, DrillsOptions settings, CancellationToken cancellationToken)
    {
        var deadline = TimeSpan.FromSeconds(settings.RefusalDeadlineSeconds);
        var started = time.GetTimestamp();
        while (true)
        {
            string answer;
            try
            {
                await calls.ReadAsync(run.Credentials!, cancellationToken);
                answer = $"s3:{DrillSessionCalls.ReadEventName} still answered";
            }
            catch (Exception refused) when (DrillSessionCalls.IsRefusal(refused))
            {
                return $"s3:{DrillSessionCalls.ReadEventName} with key {run.Credentials!.AccessKeyId} refused after the end: {Describe(refused)}";
            }
            // Any other answer (throttling, a network error) is not yet a refusal: ask again until the deadline.
            catch (Exception failure) when (failure is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException
                                            && !cancellationToken.IsCancellationRequested)
            {
                answer = Describe(failure);
            }
            if (time.GetElapsedTime(started) >= deadline)
            {
                throw new DrillStageException(
                    $"AWS did not refuse key {run.Credentials!.AccessKeyId} within {deadline.TotalSeconds:0} s of the end (Drills:RefusalDeadlineSeconds): {answer}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
        }
    }

    /// <summary>
    /// Collects the grant's evidence with the same collector and sources as every grant, until it holds the drill's own
    /// read: CloudTrail delivers within about 15 minutes, with no guarantee.
    /// </summary>
    private async Task<string> FindOwnCallAsync(DrillRun run, DrillsOptions settings, CancellationToken cancellationToken)
    {
        var grant = run.Grant!;
        var key = run.Credentials!.AccessKeyId;
        var deadline = TimeSpan.FromSeconds(settings.EvidenceDeadlineSeconds);
        var started = time.GetTimestamp();
        while (true)
        {
            string found;
            try
            {
                var outcome = await evidence.RerunAsync(grant.Id, EvidencePass.First, cancellationToken);
                var report = await evidenceStore.LoadReportAsync(grant.Id, cancellationToken);
                var own = report?.Events.FirstOrDefault(recorded =>
                    recorded.AccessKeyId == key && recorded.EventName == DrillSessionCalls.ReadEventName && recorded.ErrorCode is null);
                if (own is not null)
                {
                    return $"CloudTrail holds the drill's own {own.EventSource} {own.EventName} by {key} at {own.EventTime:O} (event {own.EventId}); {report!.Events.Count} event(s) collected";
                }
                found = outcome == PassOutcome.Busy
                    ? "another worker was collecting the grant's evidence"
                    : $"{report?.Events.Count ?? 0} event(s) collected, none of them the drill's s3:{DrillSessionCalls.ReadEventName}";
            }
            catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
            {
                found = Describe(failure);
            }
            var left = deadline - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new DrillStageException(
                    $"the evidence did not show the drill's s3:{DrillSessionCalls.ReadEventName} by {key} within {deadline.TotalSeconds:0} s (Drills:EvidenceDeadlineSeconds): {found}");
            }
            var poll = TimeSpan.FromSeconds(settings.EvidencePollSeconds);
            await Task.Delay(poll < left ? poll : left, time, cancellationToken);
        }
    }

    private async Task<bool> StageAsync(DrillRun run, string name, Func<Task<string>> body)
    {
        var started = time.GetTimestamp();
        DrillStage stage;
        try
        {
            var detail = await body();
            stage = new DrillStage(name, true, Seconds(started), detail);
        }
        // Whatever a stage meets is the drill's result, recorded and alerted; nothing may leave the drill unfinished.
        catch (Exception failure)
        {
            stage = new DrillStage(name, false, Seconds(started), Describe(failure));
        }
        await RecordAsync(run, stage);
        return stage.Ok;
    }

    private async Task RecordAsync(DrillRun run, DrillStage stage)
    {
        run.Stages.Add(stage);
        await using var connection = await database.OpenConnectionAsync();
        await DrillStore.AppendStageAsync(connection, run.Drill.Id, stage);
    }

    /// <summary>A failed drill must not leave a live grant behind: it is ended now, or by the revocation job and sweeper.</summary>
    private async Task EndIfLiveAsync(Guid drillId)
    {
        Grant? grant;
        await using (var connection = await database.OpenConnectionAsync())
        {
            grant = await GrantStore.FindForDrillAsync(connection, drillId);
        }
        if (grant is null || GrantStatuses.IsRevoked(grant.Status)) return;
        try
        {
            // A failed issue has nothing to end, but its tag is denied all the same (a timeout can hide a minted key).
            if (grant.Status != GrantStatus.Failed)
            {
                await revocation.EndEarlyAsync(grant.Id, Actor, "Drill failed: its grant ends at once", CancellationToken.None);
            }
            await revocation.RevokeAsync(grant.Id, CancellationToken.None);
        }
        catch (Exception failure)
        {
            jobs.Enqueue<RevokeGrantJob>(job => job.RunAsync(grant.Id));
            DrillsLog.EndRetried(logger, drillId, grant.Id, failure.Message);
        }
    }

    private async Task FinishAsync(DrillRun run, bool passed)
    {
        await using var connection = await database.OpenConnectionAsync();
        var grantId = (await GrantStore.FindForDrillAsync(connection, run.Drill.Id))?.Id;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            if (!await DrillStore.TryFinishAsync(connection, transaction, run.Drill.Id, passed, time.GetUtcNow())) return;
            var failed = run.Stages.FirstOrDefault(stage => !stage.Ok);
            await audit.AppendAsync(connection, transaction, grantId, DrillAuditEvents.Completed, SystemActor.Name, new Dictionary<string, object?>
            {
                ["drillId"] = run.Drill.Id,
                ["role"] = run.Drill.Role,
                ["requestedBy"] = run.Drill.RequestedBy,
                ["grantId"] = grantId,
                ["passed"] = passed,
                ["failedStage"] = failed?.Name,
                ["stages"] = JsonSerializer.SerializeToElement(run.Stages, StageJson),
            });
            await transaction.CommitAsync();
        }
        if (passed)
        {
            DrillsLog.Passed(logger, run.Drill.Id, run.Drill.Role, string.Join(", ", run.Stages.Select(stage => $"{stage.Name} {stage.Seconds:0.###} s")));
        }
        else
        {
            var failed = run.Stages.First(stage => !stage.Ok);
            DrillsLog.Failed(logger, run.Drill.Id, run.Drill.Role, failed.Name, failed.Detail);
        }
    }

    private double Seconds(long started) => Math.Round(time.GetElapsedTime(started).TotalSeconds, 3);

    private static string Describe(Exception failure) => failure switch
    {
        AmazonServiceException aws when aws.ErrorCode is { Length: > 0 } => $"{aws.ErrorCode}: {aws.Message}",
        _ => failure.Message,
    };

    /// <summary>What one run has got so far.</summary>
    private sealed class DrillRun(Drill drill)
    {
        public Drill Drill { get; } = drill;
        public List<DrillStage> Stages { get; } = [];
        public Grant? Grant { get; set; }
        public IssuedCredentials? Credentials { get; set; }
    }
}

/// <summary>A stage found the path broken; its message is the stage's detail.</summary>
internal sealed class DrillStageException(string detail) : Exception(detail);
