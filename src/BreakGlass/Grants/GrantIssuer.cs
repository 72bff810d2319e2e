using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Transactions;
using BreakGlass.Accounts;
using BreakGlass.Audit;
using BreakGlass.Auth;
using BreakGlass.Aws.Sts;
using BreakGlass.Errors;
using BreakGlass.Observability;
using BreakGlass.Policy;
using BreakGlass.WrittenPolicy;
using BreakGlass.Revocation;
using BreakGlass.Tickets;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Grants;

internal sealed record IssueOutcome(Grant Grant, IssuedCredentials? Credentials, bool Replayed);

/// <summary>Breaks glass: decides eligibility, commits the grant with its revocation job, then mints credentials.</summary>
internal sealed class GrantIssuer(
    NpgsqlDataSource database,
    Eligibility eligibility,
    AuditLog audit,
    IBackgroundJobClient jobs,
    StsCredentialIssuer sts,
    BrokerIdentity broker,
    IOptionsMonitor<PolicyOptions> policy,
    CurrentPolicy policyInForce,
    TicketRequests tickets,
    TicketOutbox ticketOutbox,
    IOptionsMonitor<RevocationOptions> revocation,
    TimeProvider time,
    ILogger<GrantIssuer> logger)
{
    // Keys minted while the database was unreachable, until a sweeper pass records them (ids and expiry only, never secrets).
    private readonly ConcurrentDictionary<Guid, (string AccessKeyId, DateTimeOffset Expiration)> _unrecorded = new();

    public async Task<IssueOutcome> IssueAsync(ClaimsPrincipal caller, ValidCreateGrantRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var requester = caller.UserName();
        var requestHash = HashRequest(request);
        if (idempotencyKey is not null && await FindReplayAsync(requester, idempotencyKey, requestHash, cancellationToken) is { } replayed)
        {
            return await ReplayAsync(caller, replayed, cancellationToken);
        }

        BreakGlassRole role;
        try
        {
            role = eligibility.Check(caller, request.Role, request.DurationMinutes, request.Ticket);
        }
        catch (DomainException refused)
        {
            // Every refusal by the policy is part of the exception record, not only the 403s.
            await RecordDenialAsync(requester, request, refused, cancellationToken);
            throw;
        }

        TicketPlan ticket;
        try
        {
            ticket = await tickets.PlanAsync(request.Ticket, cancellationToken);
        }
        catch (TicketNotFoundException notFound)
        {
            await RecordDenialAsync(requester, request, notFound, cancellationToken);
            throw;
        }

        var (grant, durationSeconds) = await NewGrantAsync(requester, caller.DisplayName(), role, request, cancellationToken);
        using var grantTelemetry = Telemetry.ForGrant(logger, grant.Id);
        try
        {
            await CommitGrantWithRevocationJobAsync(grant, ticket, durationSeconds, idempotencyKey, requestHash, null, cancellationToken);
        }
        catch (PostgresException conflict) when (conflict is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "idempotency_keys_pkey" })
        {
            // A concurrent retry with the same key won the race: answer with its grant, never a second one.
            var winner = await FindReplayAsync(requester, idempotencyKey!, requestHash, cancellationToken)
                         ?? throw new ConflictException("A request with this Idempotency-Key is being processed; retry shortly.");
            return await ReplayAsync(caller, winner, cancellationToken);
        }
        catch (OpenGrantLimitException)
        {
            // Rolled back, nothing recorded: the refusal itself is the fact counted.
            BreakGlassMetrics.GrantRefused(role.Name, BreakGlassMetrics.RefusalReasons.OpenGrantLimit);
            throw;
        }

        return await MintAsync(grant, ticket, durationSeconds, cancellationToken);
    }

    /// <summary>
    /// A drill's break-glass: the same commit-then-mint path as a person's, as the drill's system actor, on the role
    /// <c>Drills:Role</c> names (no person's groups apply). The grant is marked as the drill's in its own transaction,
    /// so it is never an exception; it has a ticket only when <see cref="DrillGrantRequest.FileTicket"/> says so.
    /// </summary>
    public async Task<IssueOutcome> IssueDrillAsync(DrillGrantRequest drill, CancellationToken cancellationToken)
    {
        var role = eligibility.CheckDrill(drill.Request.Role, drill.Request.DurationMinutes);
        var ticket = drill.FileTicket ? await tickets.PlanAsync(null, cancellationToken) : null;
        var (grant, durationSeconds) = await NewGrantAsync(drill.Actor, drill.Actor, role, drill.Request, cancellationToken);
        using var grantTelemetry = Telemetry.ForGrant(logger, grant.Id);
        await CommitGrantWithRevocationJobAsync(grant, ticket, durationSeconds, null, HashRequest(drill.Request), drill.DrillId, cancellationToken);
        return await MintAsync(grant, ticket, durationSeconds, cancellationToken);
    }

    private async Task<(Grant Grant, int DurationSeconds)> NewGrantAsync(
        string requester, string requesterName, BreakGlassRole role, ValidCreateGrantRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = TimeSpan.FromMinutes(request.DurationMinutes);
        var durationSeconds = AssumeRoleParameters.DurationSeconds(window, role.MaxSessionSeconds, await broker.SessionCapSecondsAsync(cancellationToken));
        var grant = new Grant(
            Guid.CreateVersion7(now), GrantStatus.Issuing, requester, role.Name, role.RoleArn, request.Reason, request.Ticket,
            now, now + window, now.AddSeconds(durationSeconds), null, null, null, 0, null, requesterName, policyInForce.Version);
        return (grant, durationSeconds);
    }

    private async Task<IssueOutcome> MintAsync(Grant grant, TicketPlan? ticket, int durationSeconds, CancellationToken cancellationToken)
    {
        // Only now, with the grant and its revocation committed, may credentials leave the service (invariant 1).
        // From here on the client's token is not used: a disconnect must not leave the grant Issuing or a minted key unrecorded.
        IssuedCredentials credentials;
        try
        {
            // The role's cut-off wait uses no client token either: it is part of issuing a committed grant.
            await WaitPastRoleCutoffAsync(grant.RoleArn, CancellationToken.None);
            credentials = await AssumeWithinBoundAsync(grant, durationSeconds);
        }
        catch (UpstreamException failure)
        {
            await RecordFailureAsync(grant, failure.Message);
            throw;
        }
        var active = await RecordIssuedOrWithholdAsync(grant, credentials, GrantAuditEvents.Issued, GrantStatus.Active);
        if (ticket is not null) await tickets.ProcessInlineAsync(grant.Id, ticket, cancellationToken);
        return new IssueOutcome(active, credentials, Replayed: false);
    }

    /// <summary>Fresh credentials for an active grant (a lost laptop): same grant tag, so the same revocation covers them.</summary>
    public async Task<IssueOutcome> ReissueAsync(ClaimsPrincipal caller, Guid grantId, CancellationToken cancellationToken)
    {
        var requester = caller.UserName();
        var role = eligibility.RolesFor(caller);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var grant = await GrantStore.FindAsync(connection, grantId);
        if (grant is null || !grant.IsOwnedBy(requester)) throw new NotFoundException($"No grant {grantId} of yours exists.");
        var policyRole = role.FirstOrDefault(candidate => string.Equals(candidate.Name, grant.RoleName, StringComparison.OrdinalIgnoreCase))
                         ?? throw new PolicyDeniedException($"You are no longer allowed to break glass into '{grant.RoleName}'.");
        var now = time.GetUtcNow();
        if (grant.Status != GrantStatus.Active || now >= grant.ExpiresAt)
        {
            throw new ConflictException($"Grant {grantId} is {grant.Status} and its window {(now >= grant.ExpiresAt ? "has ended" : "is not open")}: no new credentials.");
        }
        var durationSeconds = AssumeRoleParameters.DurationSeconds(
            grant.ExpiresAt - now, policyRole.MaxSessionSeconds, await broker.SessionCapSecondsAsync(cancellationToken));
        // Extend the deny's lifetime before minting, so a revocation racing this call keeps the new credentials covered.
        if (!await GrantStore.TryExtendCredentialsExpiryAsync(connection, grantId, now.AddSeconds(durationSeconds))) throw new ConflictException($"Grant {grantId} ended while new credentials were requested.");
        await WaitPastRoleCutoffAsync(grant.RoleArn, CancellationToken.None);
        var credentials = await AssumeWithinBoundAsync(grant, durationSeconds);
        var current = await RecordIssuedOrWithholdAsync(grant, credentials, GrantAuditEvents.CredentialsReissued, null);
        return new IssueOutcome(current, credentials, Replayed: false);
    }

    /// <summary>
    /// Fails every grant still <c>Issuing</c> past <c>Revocation:IssuingDeadlineSeconds</c> (a crash, or a request that
    /// never finished), recording the key if this instance minted one it could not record. Returns how many failed.
    /// </summary>
    public async Task<int> FailStuckIssuingAsync(CancellationToken cancellationToken)
    {
        foreach (var (grantId, minted) in _unrecorded)
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            if (await GrantStore.FindAsync(connection, grantId) is { } grant)
            {
                await RecordFailureAsync(grant, "credentials were minted but could not be recorded, so they were withheld", minted);
            }
            _unrecorded.TryRemove(grantId, out _);
        }
        var deadline = TimeSpan.FromSeconds(revocation.CurrentValue.IssuingDeadlineSeconds);
        IReadOnlyList<Grant> stuck;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            stuck = await GrantStore.ListIssuingSinceAsync(connection, time.GetUtcNow() - deadline);
        }
        foreach (var grant in stuck)
        {
            await RecordFailureAsync(grant, $"credentials were not issued within {deadline.TotalSeconds:0} s (the request or its instance did not finish)");
        }
        return stuck.Count;
    }

    // A bounded timeout of our own, shorter than the Issuing deadline, so the sweeper never fails a grant this call still completes.
    private async Task<IssuedCredentials> AssumeWithinBoundAsync(Grant grant, int durationSeconds)
    {
        using var bound = new CancellationTokenSource(revocation.CurrentValue.IssueBound, time);
        try
        {
            return await sts.AssumeAsync(grant, durationSeconds, bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested)
        {
            throw new UpstreamException($"AWS STS did not answer within {revocation.CurrentValue.IssueBound.TotalSeconds:0} s.");
        }
    }

    private async Task CommitGrantWithRevocationJobAsync(
        Grant grant, TicketPlan? ticket, int durationSeconds, string? idempotencyKey, string requestHash, Guid? drillId, CancellationToken cancellationToken)
    {
        // Hangfire enlists in the ambient TransactionScope through the shared data source: the grant, its audit
        // event and its scheduled revocation commit together or not at all. A plain BeginTransaction() would not
        // cover the job (it survives a rollback).
        using var scope = new TransactionScope(
            TransactionScopeOption.Required,
            new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted, Timeout = TimeSpan.FromSeconds(30) },
            TransactionScopeAsyncFlowOption.Enabled);
        var requested = new Dictionary<string, object?>
        {
            ["requesterName"] = grant.RequesterName,
            ["role"] = grant.RoleName,
            ["roleArn"] = grant.RoleArn,
            ["reason"] = grant.Reason,
            ["ticket"] = grant.TicketReference,
            ["requestedAt"] = grant.RequestedAt,
            ["expiresAt"] = grant.ExpiresAt,
            ["stsDurationSeconds"] = durationSeconds,
            ["policyDecision"] = "allowed",
            ["policyVersion"] = grant.PolicyVersion,
        };
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var limit = policy.CurrentValue.MaxOpenGrantsPerRequester;
            var open = await GrantStore.LockAndCountOpenAsync(connection, grant.Requester, grant.RoleName, grant.RequestedAt);
            if (open >= limit)
            {
                throw new OpenGrantLimitException(
                    $"You already have {open} open grant(s) on '{grant.RoleName}' (at most {limit}, Policy:MaxOpenGrantsPerRequester). End one with POST /api/grants/{{id}}/revoke, or get fresh credentials for it with POST /api/grants/{{id}}/credentials.");
            }
            await GrantStore.InsertAsync(connection, grant);
            if (idempotencyKey is not null)
            {
                await connection.ExecuteAsync(
                    """
                    INSERT INTO idempotency_keys (requester, key, request_hash, grant_id, created_at)
                    VALUES (@Requester, @idempotencyKey, @requestHash, @Id, @RequestedAt)
                    """,
                    new { grant.Requester, idempotencyKey, requestHash, grant.Id, grant.RequestedAt });
            }
            if (drillId is { } drill)
            {
                await GrantStore.MarkDrillAsync(connection, grant.Id, drill);
                requested["drill"] = drill;
            }
        }
        var jobId = jobs.Schedule<RevokeGrantJob>(job => job.RunAsync(grant.Id), grant.ExpiresAt);
        if (ticket is not null) tickets.ScheduleBackfill(grant.Id, ticket);
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await GrantStore.RecordRevocationJobAsync(connection, grant.Id, jobId);
            // The audit chain's lock is service-wide and held until commit: appending last keeps concurrent grants
            // queued only for the append and the commit, not for the job scheduling before it.
            await audit.AppendAsync(connection, null, grant.Id, GrantAuditEvents.Requested, grant.Requester, requested);
            if (ticket is not null) await tickets.OpenAsync(connection, grant, ticket);
        }
        scope.Complete();
    }

    // A session AWS issues within the second of a revoke-all cut-off would be refused: mint only once it has passed.
    private async Task WaitPastRoleCutoffAsync(string roleArn, CancellationToken cancellationToken)
    {
        DateTimeOffset? cutoff;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            cutoff = await RoleCutoffs.FindAsync(connection, roleArn);
        }
        var wait = cutoff - time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait.Value, time, cancellationToken);
    }

    /// <summary>Credentials leave the service only once their AccessKeyId and audit event are committed.</summary>
    private async Task<Grant> RecordIssuedOrWithholdAsync(Grant grant, IssuedCredentials credentials, string eventType, GrantStatus? moveTo)
    {
        try
        {
            return await RecordIssuedAsync(grant, credentials, eventType, moveTo);
        }
        catch (NpgsqlException failure)
        {
            if (moveTo is not null) _unrecorded[grant.Id] = (credentials.AccessKeyId, credentials.Expiration);
            GrantsLog.CredentialsNotRecorded(logger, credentials.AccessKeyId, grant.Id, failure.Message);
            throw new StorageUnavailableException(
                $"Credentials were minted but could not be recorded, so they are withheld; the grant's scheduled revocation denies them at {grant.ExpiresAt:O}. Retry with the same Idempotency-Key.");
        }
    }

    private async Task<Grant> RecordIssuedAsync(Grant grant, IssuedCredentials credentials, string eventType, GrantStatus? moveTo)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var now = time.GetUtcNow();
        // The AccessKeyId is recorded even if the grant ended meanwhile: CloudTrail evidence is matched by it.
        await GrantStore.RecordCredentialsAsync(connection, transaction, grant.Id, credentials.AccessKeyId, now, credentials.Expiration);
        // STS's Expiration, not our estimate, is how long the deny must keep this grant's id.
        await GrantStore.ExtendCredentialsExpiryAsync(connection, transaction, grant.Id, credentials.Expiration);
        if (moveTo is { } status && !await GrantStore.TryMoveAsync(connection, transaction, grant.Id, status))
        {
            await audit.AppendAsync(connection, transaction, grant.Id, GrantAuditEvents.CredentialsWithheld, SystemActor.Name,
                new Dictionary<string, object?> { ["accessKeyId"] = credentials.AccessKeyId, ["why"] = "the grant ended while its credentials were minted" });
            await transaction.CommitAsync();
            throw new ConflictException($"Grant {grant.Id} ended before its credentials could be delivered; they are withheld and denied.");
        }
        await audit.AppendAsync(connection, transaction, grant.Id, eventType, grant.Requester, new Dictionary<string, object?>
        {
            ["accessKeyId"] = credentials.AccessKeyId,
            ["credentialsExpireAt"] = credentials.Expiration,
            ["roleSessionName"] = AssumeRoleParameters.RoleSessionName(grant),
        });
        await ticketOutbox.EnqueueCommentAsync(connection, transaction, grant.Id,
            moveTo is null ? TicketOutbox.Keys.Reissued(credentials.AccessKeyId) : TicketOutbox.Keys.AccessGranted,
            TicketMarkdown.CredentialsIssued(grant, credentials, tickets.GrantUrl(grant.Id), reissued: moveTo is null));
        var current = await GrantStore.FindAsync(connection, grant.Id, transaction);
        await transaction.CommitAsync();
        GrantsLog.GlassBroken(logger, grant.Id, grant.Requester, grant.RoleName, grant.ExpiresAt, credentials.AccessKeyId);
        if (moveTo is not null) BreakGlassMetrics.GrantIssued(grant.RoleName);
        return current!;
    }

    private async Task RecordFailureAsync(Grant grant, string error, (string AccessKeyId, DateTimeOffset Expiration)? minted = null)
    {
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (minted is { } key)
        {
            // CloudTrail evidence is matched by the key; the grant's deny already lasts until its credentials expire.
            await GrantStore.RecordCredentialsAsync(connection, transaction, grant.Id, key.AccessKeyId, time.GetUtcNow(), key.Expiration);
            await audit.AppendAsync(connection, transaction, grant.Id, GrantAuditEvents.CredentialsWithheld, SystemActor.Name,
                new Dictionary<string, object?> { ["accessKeyId"] = key.AccessKeyId, ["why"] = error });
        }
        if (await GrantStore.TryMarkFailedAsync(connection, transaction, grant.Id, error))
        {
            await audit.AppendAsync(connection, transaction, grant.Id, GrantAuditEvents.Failed, SystemActor.Name,
                new Dictionary<string, object?> { ["error"] = error, ["accessKeyId"] = minted?.AccessKeyId });
            await ticketOutbox.EnqueueCommentAsync(connection, transaction, grant.Id, TicketOutbox.Keys.IssueFailed, TicketMarkdown.IssueFailed(error));
        }
        await transaction.CommitAsync();
    }

    private async Task RecordDenialAsync(string requester, ValidCreateGrantRequest request, DomainException refusal, CancellationToken cancellationToken)
    {
        var why = refusal.Message;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await audit.AppendAsync(connection, transaction, null, GrantAuditEvents.Denied, requester, new Dictionary<string, object?>
        {
            ["role"] = request.Role,
            ["durationMinutes"] = request.DurationMinutes,
            ["reason"] = request.Reason,
            ["policyDecision"] = why,
        });
        await transaction.CommitAsync(cancellationToken);
        BreakGlassMetrics.GrantRefused(policy.CurrentValue.Find(request.Role)?.Name ?? BreakGlassMetrics.UnknownRole, RefusalReason(refusal));
    }

    private async Task<Grant?> FindReplayAsync(string requester, string idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var previous = await connection.QuerySingleOrDefaultAsync<(Guid GrantId, string RequestHash)?>(
            "SELECT grant_id, request_hash FROM idempotency_keys WHERE requester = @requester AND key = @idempotencyKey",
            new { requester, idempotencyKey });
        if (previous is null) return null;
        if (previous.Value.RequestHash != requestHash)
        {
            throw new IdempotencyKeyReusedException("This Idempotency-Key was used for a different request; use a new key for a new request.");
        }
        return await GrantStore.FindAsync(connection, previous.Value.GrantId);
    }

    private async Task<IssueOutcome> ReplayAsync(ClaimsPrincipal caller, Grant grant, CancellationToken cancellationToken) =>
        grant.Status switch
        {
            // The first response may have been lost in transit: the retry gets working credentials for the same grant.
            GrantStatus.Active when time.GetUtcNow() < grant.ExpiresAt =>
                (await ReissueAsync(caller, grant.Id, cancellationToken)) with { Replayed = true },
            GrantStatus.Issuing => throw new ConflictException(
                $"Grant {grant.Id} for this Idempotency-Key is still being issued; retry in a moment. If it is not issued by {grant.RequestedAt.AddSeconds(revocation.CurrentValue.IssuingDeadlineSeconds):O} it becomes Failed."),
            _ => new IssueOutcome(grant, null, Replayed: true),
        };

    private static string RefusalReason(DomainException refusal) => refusal switch
    {
        PolicyDeniedException => BreakGlassMetrics.RefusalReasons.NotEligible,
        RoleUnavailableException => BreakGlassMetrics.RefusalReasons.RoleUnavailable,
        TicketNotFoundException => BreakGlassMetrics.RefusalReasons.TicketNotFound,
        _ => BreakGlassMetrics.RefusalReasons.InvalidRequest,
    };

    private static string HashRequest(ValidCreateGrantRequest request) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{request.Role.ToLowerInvariant()}\n{request.DurationMinutes}\n{request.Reason}\n{request.Ticket}")));
}
