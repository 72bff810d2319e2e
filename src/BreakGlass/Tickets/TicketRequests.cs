using BreakGlass.Audit;
using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Tickets.Linear;
using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Tickets;

/// <summary>
/// The ticket's part of a grant request, within <see cref="LinearOptions.RequestBudgetMilliseconds"/>: look up a
/// named ticket before the grant commits, open the ticket's outbox with the grant, and try to finish inline.
/// Whatever Linear does, the grant goes ahead; only Linear saying "no such ticket" refuses it.
/// </summary>
internal sealed partial class TicketRequests(
    NpgsqlDataSource database,
    IServiceScopeFactory scopes,
    LinearGate gate,
    TicketOutbox outbox,
    AuditLog audit,
    IBackgroundJobClient jobs,
    IOptions<LinearOptions> linear,
    IOptions<PublicUrlOptions> publicUrl,
    TimeProvider time,
    ILogger<TicketRequests> logger)
{
    public const string InvalidReference = "'ticket' must be a Linear issue identifier like OPS-123 or its https://linear.app/… URL.";

    public const string NotConfigured = "Linear is not configured (Linear:ApiKey, Linear:TeamId): the ticket waits until it is.";

    /// <exception cref="TicketNotFoundException">Linear answered that the named ticket does not exist.</exception>
    public async Task<TicketPlan> PlanAsync(string? reference, CancellationToken cancellationToken)
    {
        var settings = linear.Value;
        var budgetEndsAt = time.GetUtcNow().AddMilliseconds(settings.RequestBudgetMilliseconds);
        string? identifier = null;
        if (reference is not null && !LinearIssueReference.TryParse(reference, out identifier))
            throw new InvalidRequestException(InvalidReference);
        if (!settings.IsConfigured)
            return new TicketPlan(identifier, null, NotConfigured, budgetEndsAt);
        if (!gate.IsOpen(out var closed))
            return new TicketPlan(identifier, null, closed, budgetEndsAt);
        if (identifier is null)
            return new TicketPlan(null, null, null, budgetEndsAt);

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromMilliseconds(settings.RequestBudgetMilliseconds));
        using var scope = scopes.CreateScope();
        LinearIssue? issue;
        try
        {
            issue = await scope.ServiceProvider.GetRequiredService<LinearClient>().FindIssueAsync(identifier, budget.Token);
            gate.Answered();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new TicketPlan(identifier, null, BudgetExceeded(settings), budgetEndsAt);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Whatever went wrong with Linear, the engineer gets access; only a clear "not found" refuses.
            if (failure is LinearException linearFailure) gate.Observe(linearFailure);
            return new TicketPlan(identifier, null, $"{failure.Message} The ticket is linked as soon as Linear answers.", budgetEndsAt);
        }
        return issue is null
            ? throw new TicketNotFoundException(identifier)
            : new TicketPlan(identifier, issue, null, budgetEndsAt);
    }

    /// <summary>
    /// The tickets of many grants requested while Linear was not configured, with their first actions, in two
    /// statements: as <see cref="OpenAsync"/> leaves each. For loading a large history at once (the register benchmark).
    /// </summary>
    public async Task OpenAllUnconfiguredAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Grant> grants)
    {
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(
            """
            INSERT INTO tickets (grant_id, status, linear_issue_id, last_error, created_at, updated_at)
            SELECT grant_id, @pending, issue_id, @reason, @now, @now FROM unnest(@grantIds, @issueIds) AS t (grant_id, issue_id)
            """,
            new
            {
                pending = TicketStatus.Pending, reason = NotConfigured, now,
                grantIds = grants.Select(grant => grant.Id).ToArray(), issueIds = grants.Select(_ => Guid.NewGuid().ToString()).ToArray(),
            },
            transaction);
        var backgroundStartsAt = now.AddMilliseconds(linear.Value.RequestBudgetMilliseconds).AddSeconds(1);
        await outbox.EnqueueAllAsync(connection, transaction, grants.SelectMany(grant => new[]
        {
            new TicketAction(grant.Id, TicketActionKind.FileIssue, TicketOutbox.Keys.Issue, null, backgroundStartsAt),
            new TicketAction(grant.Id, TicketActionKind.Attachment, TicketOutbox.Keys.GrantLink, GrantUrl(grant.Id).AbsoluteUri, backgroundStartsAt),
        }).ToList());
    }

    /// <summary>Writes the ticket and its first actions on <paramref name="connection"/>, inside the grant's transaction.</summary>
    public async Task OpenAsync(NpgsqlConnection connection, Grant grant, TicketPlan plan)
    {
        var now = time.GetUtcNow();
        var linked = plan.LinkedIssue;
        await connection.ExecuteAsync(
            """
            INSERT INTO tickets (grant_id, status, linear_issue_id, identifier, url, last_error, created_at, updated_at, resolved_at)
            VALUES (@grantId, @status, @issueId, @identifier, @url, @pendingReason, @now, @now, @resolvedAt)
            """,
            new
            {
                grantId = grant.Id,
                status = linked is null ? TicketStatus.Pending : TicketStatus.Linked,
                // An issue to be filed gets its id now, before any attempt: every retry sends the same one.
                issueId = linked?.Id ?? (plan.Identifier is null ? Guid.NewGuid().ToString() : null),
                identifier = linked?.Identifier ?? plan.Identifier,
                url = linked?.Url.AbsoluteUri,
                plan.PendingReason,
                now,
                resolvedAt = linked is null ? (DateTimeOffset?)null : now,
            });
        if (linked is not null)
        {
            await audit.AppendAsync(connection, null, grant.Id, TicketAuditEvents.Linked, grant.Requester, new Dictionary<string, object?>
            {
                ["identifier"] = linked.Identifier,
                ["url"] = linked.Url.AbsoluteUri,
                ["linearIssueId"] = linked.Id,
            });
        }
        else
        {
            var kind = plan.Identifier is null ? TicketActionKind.FileIssue : TicketActionKind.LinkIssue;
            await outbox.EnqueueAsync(connection, null, grant.Id, kind, TicketOutbox.Keys.Issue, null, plan.BackgroundStartsAt);
        }
        // The request makes the first attempt itself; the sweeper leaves these alone until the budget is over.
        await outbox.EnqueueAsync(connection, null, grant.Id, TicketActionKind.Attachment, TicketOutbox.Keys.GrantLink,
            publicUrl.Value.GrantUrl(grant.Id).AbsoluteUri, plan.BackgroundStartsAt);
    }

    public Uri GrantUrl(Guid grantId) => publicUrl.Value.GrantUrl(grantId);

    /// <summary>
    /// The fast path's safety net, scheduled in the grant's transaction: if this instance dies before the inline
    /// attempt, another instance carries the ticket actions out right after the budget.
    /// </summary>
    public void ScheduleBackfill(Guid grantId, TicketPlan plan) =>
        jobs.Schedule<ProcessTicketActionsJob>(job => job.RunAsync(grantId), plan.BackgroundStartsAt);

    /// <summary>Carries the grant's ticket actions out inline for what is left of the budget; never throws for Linear's sake.</summary>
    public async Task ProcessInlineAsync(Guid grantId, TicketPlan plan, CancellationToken cancellationToken)
    {
        var settings = linear.Value;
        if (!settings.IsConfigured) return;
        var remaining = plan.BudgetEndsAt - time.GetUtcNow();
        try
        {
            if (remaining <= TimeSpan.Zero)
            {
                await NotePendingAsync(grantId, BudgetExceeded(settings));
                return;
            }
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<TicketActionProcessor>().ProcessGrantAsync(grantId, remaining, cancellationToken);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // The grant is issued and its ticket actions are committed: the job and the sweeper finish them.
            LogInlineFailed(grantId, failure.Message);
        }
    }

    private async Task NotePendingAsync(Guid grantId, string reason)
    {
        await using var connection = await database.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE tickets SET last_error = @reason WHERE grant_id = @grantId AND status = 'pending' AND last_error IS NULL",
            new { grantId, reason });
    }

    private static string BudgetExceeded(LinearOptions settings) =>
        $"Linear did not answer within the request's {settings.RequestBudgetMilliseconds} ms budget; the ticket is completed in the background.";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ticket of grant {GrantId} could not be completed inline; the background job finishes it: {Error}")]
    private partial void LogInlineFailed(Guid grantId, string error);
}
