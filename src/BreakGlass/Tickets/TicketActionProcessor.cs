using BreakGlass.Audit;
using BreakGlass.Grants;
using BreakGlass.Observability;
using BreakGlass.Storage;
using BreakGlass.Tickets.Linear;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Tickets;

/// <summary>
/// Carries out a grant's ticket actions in order — issue, link back, comments — each exactly once. One
/// instance works on a grant at a time (a session advisory lock; others skip the grant rather than wait),
/// an attempt is counted before Linear sees it, and an action is marked done in the same transaction that
/// records what it produced.
/// </summary>
internal sealed partial class TicketActionProcessor(
    NpgsqlDataSource database,
    LinearClient linear,
    LinearTargetResolver targets,
    LinearTargetCache targetCache,
    LinearGate gate,
    TicketOutbox outbox,
    AuditLog audit,
    IOptions<LinearOptions> linearOptions,
    IOptions<PublicUrlOptions> publicUrl,
    TimeProvider time,
    ILogger<TicketActionProcessor> logger)
{

    /// <summary>
    /// Carries out the grant's due actions until one fails, one is not due yet, or <paramref name="budget"/> runs out
    /// (a failure is recorded with its next attempt, never thrown). With a budget (a request waiting), actions never
    /// tried are due at once and another instance's hold on the grant is waited out; without, the grant is skipped.
    /// </summary>
    public async Task ProcessGrantAsync(Guid grantId, TimeSpan? budget, CancellationToken stoppingToken)
    {
        using var grantTelemetry = Telemetry.ForGrant(logger, grantId, "ticket actions");
        if (!linearOptions.Value.IsConfigured) return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        if (budget is { } limit) deadline.CancelAfter(limit);
        await using var connection = await database.OpenConnectionAsync(stoppingToken);
        while (!await AdvisoryLocks.TicketActions.TryTakeAsync(connection, grantId))
        {
            if (budget is null || deadline.IsCancellationRequested) return;
            // A sweep that looked at this grant holds it for milliseconds; the request is worth the wait.
            await Task.Delay(TimeSpan.FromMilliseconds(25), time, CancellationToken.None);
        }
        try
        {
            while (gate.IsOpen(out _) && await NextDueAsync(connection, grantId, firstAttemptsNow: budget is not null) is { } action)
            {
                if (!await CarryOutAsync(connection, action, deadline.Token, stoppingToken)) break;
            }
        }
        finally
        {
            await AdvisoryLocks.TicketActions.ReleaseAsync(connection, grantId);
        }
    }

    private sealed record DueAction(
        Guid Id, Guid GrantId, string Kind, string? Body, string Status, int Attempts, DateTimeOffset NextAttemptAt,
        string TicketStatus, string? RequestedReference, string? LinearIssueId, string? Identifier)
    {
        public bool IsIssueAction => Kind is TicketActionKind.FileIssue or TicketActionKind.LinkIssue;
    }

    private abstract record Outcome;

    private sealed record IssueKnown(LinearIssue Issue, string Status) : Outcome;

    private sealed record ReferenceNotFound : Outcome;

    private sealed record Done : Outcome;

    /// <summary>The grant's first unfinished action, if it is due: later actions wait behind it, so comments follow the issue in order.</summary>
    private async Task<DueAction?> NextDueAsync(NpgsqlConnection connection, Guid grantId, bool firstAttemptsNow)
    {
        var head = await connection.QuerySingleOrDefaultAsync<DueAction>(
            """
            SELECT a.id, a.grant_id AS GrantId, a.kind, a.body, a.status, a.attempts, a.next_attempt_at AS NextAttemptAt,
                   t.status AS TicketStatus, g.ticket_reference AS RequestedReference, t.linear_issue_id AS LinearIssueId, t.identifier
            FROM ticket_actions a JOIN tickets t ON t.grant_id = a.grant_id JOIN grants g ON g.id = a.grant_id
            WHERE a.grant_id = @grantId AND a.status <> 'done'
            ORDER BY CASE a.kind WHEN 'file_issue' THEN 0 WHEN 'link_issue' THEN 0 WHEN 'attachment' THEN 1 ELSE 2 END, a.seq
            LIMIT 1
            """,
            new { grantId });
        return head is not null && (head.NextAttemptAt <= time.GetUtcNow() || (firstAttemptsNow && head.Attempts == 0)) ? head : null;
    }

    private async Task<bool> CarryOutAsync(NpgsqlConnection connection, DueAction action, CancellationToken deadline, CancellationToken stoppingToken)
    {
        // Counted before Linear sees the request: after a crash mid-call, the next attempt knows it may have landed.
        await connection.ExecuteAsync("UPDATE ticket_actions SET attempts = attempts + 1 WHERE id = @Id", new { action.Id });
        Outcome outcome;
        try
        {
            outcome = await ExecuteAsync(connection, action, deadline);
            gate.Answered();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            await RecordFailureAsync(connection, action, null,
                "Linear did not answer within the request's time budget; the ticket is completed in the background.");
            return false;
        }
        catch (LinearException failure)
        {
            gate.Observe(failure);
            await RecordFailureAsync(connection, action, failure, failure.Message);
            return false;
        }
        catch (Exception failure) when (failure is not NpgsqlException)
        {
            await RecordFailureAsync(connection, action, null, $"{failure.GetType().Name}: {failure.Message}");
            return false;
        }
        await RecordDoneAsync(connection, action, outcome);
        return true;
    }

    private async Task<Outcome> ExecuteAsync(NpgsqlConnection connection, DueAction action, CancellationToken cancellationToken)
    {
        if (action.Kind == TicketActionKind.LinkIssue)
        {
            var found = await linear.FindIssueAsync(action.Identifier!, cancellationToken);
            return found is null ? new ReferenceNotFound() : new IssueKnown(found, TicketStatus.Linked);
        }
        var grant = await GrantStore.FindAsync(connection, action.GrantId)
                    ?? throw new InvalidOperationException($"Grant {action.GrantId} of a ticket action does not exist.");
        if (action.Kind == TicketActionKind.FileIssue)
        {
            return new IssueKnown(await FileIssueAsync(grant, action, cancellationToken), TicketStatus.Filed);
        }
        if (action.TicketStatus == TicketStatus.Pending || action.LinearIssueId is null)
        {
            throw new InvalidOperationException("The ticket has no issue yet.");
        }
        if (action.Kind == TicketActionKind.Attachment)
        {
            await linear.CreateAttachmentAsync(action.LinearIssueId, new Uri(action.Body!),
                TicketMarkdown.AttachmentTitle(grant), TicketMarkdown.AttachmentSubtitle(grant), cancellationToken);
        }
        else
        {
            await linear.CreateCommentAsync(action.Id, action.LinearIssueId, action.Body!, cancellationToken);
        }
        return new Done();
    }

    private async Task<LinearIssue> FileIssueAsync(Grant grant, DueAction action, CancellationToken cancellationToken)
    {
        var issueId = Guid.Parse(action.LinearIssueId!);
        // An earlier attempt may have created the issue and lost only the answer: find it by its id first.
        if (action.Attempts > 0 && await linear.GetIssueByIdAsync(issueId, cancellationToken) is { } existing)
        {
            return existing;
        }
        var target = await targets.ResolveAsync(cancellationToken);
        return await linear.CreateIssueAsync(issueId, TicketMarkdown.IssueTitle(grant),
            TicketMarkdown.IssueDescription(grant, publicUrl.Value.GrantUrl(grant.Id), action.RequestedReference),
            target.Team.Id, target.LabelIds, LinearPriority.Urgent, cancellationToken);
    }

    private async Task RecordDoneAsync(NpgsqlConnection connection, DueAction action, Outcome outcome)
    {
        var now = time.GetUtcNow();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE ticket_actions SET status = 'done', done_at = @now, last_error = NULL WHERE id = @Id",
            new { action.Id, now }, transaction);
        switch (outcome)
        {
            case IssueKnown known:
                await RecordIssueAsync(connection, transaction, action, known, now);
                break;
            case ReferenceNotFound:
                await FallBackToFilingAsync(connection, transaction, action, now);
                break;
            default:
                await connection.ExecuteAsync(
                    "UPDATE tickets SET last_error = NULL, updated_at = @now WHERE grant_id = @GrantId AND last_error IS NOT NULL",
                    new { action.GrantId, now }, transaction);
                break;
        }
        await transaction.CommitAsync();
    }

    private async Task RecordIssueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueAction action, IssueKnown known, DateTimeOffset now)
    {
        var issue = known.Issue;
        var moved = await connection.ExecuteAsync(
            """
            UPDATE tickets SET status = @Status, linear_issue_id = @issueId, identifier = @Identifier, url = @url,
                               last_error = NULL, attempts = attempts + 1, updated_at = @now, resolved_at = @now
            WHERE grant_id = @GrantId AND status = 'pending'
            """,
            new { known.Status, issueId = issue.Id, issue.Identifier, url = issue.Url.AbsoluteUri, now, action.GrantId }, transaction);
        if (moved == 0) return;
        await audit.AppendAsync(connection, transaction, action.GrantId,
            known.Status == TicketStatus.Filed ? TicketAuditEvents.Filed : TicketAuditEvents.Linked, SystemActor.Name,
            new Dictionary<string, object?>
            {
                ["identifier"] = issue.Identifier,
                ["url"] = issue.Url.AbsoluteUri,
                ["linearIssueId"] = issue.Id,
                ["attempts"] = action.Attempts + 1,
            });
        LogIssueKnown(action.GrantId, known.Status, issue.Identifier);
    }

    /// <summary>The named ticket vanished (or never existed) after the grant was issued: file one, so the grant still has a record.</summary>
    private async Task FallBackToFilingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, DueAction action, DateTimeOffset now)
    {
        var error = $"Linear has no issue {action.Identifier}: BreakGlass files a new issue instead.";
        await connection.ExecuteAsync(
            """
            UPDATE tickets SET linear_issue_id = @issueId, identifier = NULL, last_error = @error, attempts = attempts + 1, updated_at = @now
            WHERE grant_id = @GrantId AND status = 'pending'
            """,
            new { issueId = Guid.NewGuid().ToString(), error, now, action.GrantId }, transaction);
        await outbox.EnqueueAsync(connection, transaction, action.GrantId, TicketActionKind.FileIssue, TicketOutbox.Keys.Issue, null);
        await audit.AppendAsync(connection, transaction, action.GrantId, TicketAuditEvents.ReferenceNotFound, SystemActor.Name,
            new Dictionary<string, object?> { ["reference"] = action.RequestedReference, ["identifier"] = action.Identifier });
        LogReferenceNotFound(action.GrantId, action.Identifier);
    }

    private async Task RecordFailureAsync(NpgsqlConnection connection, DueAction action, LinearException? failure, string error)
    {
        var now = time.GetUtcNow();
        var attempts = action.Attempts + 1;
        var jitter = Random.Shared.NextDouble();
        var (status, delay) = failure switch
        {
            { Kind: LinearErrorKind.RateLimited } => ("pending", TicketRetrySchedule.AfterRateLimit(failure.RetryAfter, jitter)),
            { Kind: LinearErrorKind.Transient } or null => ("pending", TicketRetrySchedule.AfterTransient(attempts, jitter)),
            // A refused key, a missing team, label or issue, or input Linear refuses: a person has to act.
            _ => ("failed_config", TicketRetrySchedule.ConfigurationProblemDelay),
        };
        if (failure is { Kind: LinearErrorKind.NotFound or LinearErrorKind.InvalidInput } && action.Kind == TicketActionKind.FileIssue)
        {
            // The team or labels may have changed in Linear: resolve them afresh on the next attempt.
            targetCache.Target = null;
        }
        var nextAttemptAt = now + delay;
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE ticket_actions SET status = @status, next_attempt_at = @nextAttemptAt, last_error = @error WHERE id = @Id",
                new { status, nextAttemptAt, error, action.Id }, transaction);
            await connection.ExecuteAsync(
                "UPDATE tickets SET last_error = @error, attempts = attempts + @issueAttempt, updated_at = @now WHERE grant_id = @GrantId",
                new { error, issueAttempt = action.IsIssueAction ? 1 : 0, now, action.GrantId }, transaction);
            await transaction.CommitAsync();
        }
        // A refused key or permission is alerted once by the gate, for all actions at once.
        if (status == "failed_config" && action.Status != "failed_config" && failure is { IsConfigurationProblem: false })
            LogNeedsOperator(action.Kind, action.GrantId, error, nextAttemptAt);
        else
            LogWillRetry(action.Kind, action.GrantId, attempts, error, nextAttemptAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ticket of grant {GrantId} {Status}: {Identifier}")]
    private partial void LogIssueKnown(Guid grantId, string status, string identifier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket {Identifier} named for grant {GrantId} does not exist in Linear: filing a new issue instead")]
    private partial void LogReferenceNotFound(Guid grantId, string? identifier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket action {Kind} of grant {GrantId} failed (attempt {Attempts}); retrying at {NextAttemptAt:O}: {Error}")]
    private partial void LogWillRetry(string kind, Guid grantId, int attempts, string error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "ALERT ticket action {Kind} of grant {GrantId} cannot be carried out until the Linear configuration is fixed; retrying at {NextAttemptAt:O}: {Error}")]
    private partial void LogNeedsOperator(string kind, Guid grantId, string error, DateTimeOffset nextAttemptAt);
}
