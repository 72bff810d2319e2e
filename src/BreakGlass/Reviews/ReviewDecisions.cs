using System.Globalization;
using System.Security.Claims;
using BreakGlass.Audit;
using BreakGlass.Auth;
using BreakGlass.Errors;
using BreakGlass.Evidence;
using BreakGlass.Evidence.Rules;
using BreakGlass.Grants;
using BreakGlass.Tickets;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Reviews;

internal sealed record DecisionRequest(string? Decision, string? Notes, string? EvidenceSha256);

/// <summary>Records a reviewer's sign-off (or flag) on exactly the evidence they saw, once, by someone other than the requester.</summary>
internal sealed class ReviewDecisions(
    NpgsqlDataSource database,
    SeverityRules rules,
    AuditLog audit,
    TicketOutbox tickets,
    IOptionsMonitor<ReviewOptions> options,
    TimeProvider time)
{
    public const string DecidedEvent = "review.decided";

    public async Task<ReviewView> DecideAsync(ClaimsPrincipal caller, Guid grantId, DecisionRequest request, CancellationToken cancellationToken)
    {
        var reviewer = caller.UserName();
        var decision = request.Decision?.Trim().ToLowerInvariant();
        if (decision is not ("approved" or "flagged")) throw new InvalidRequestException("'decision' must be 'approved' or 'flagged'.");
        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        if (decision == "flagged" && notes is null) throw new InvalidRequestException("'notes' are required when flagging: say what needs follow-up.");
        if (notes is { Length: > 4000 }) throw new InvalidRequestException("'notes' may be at most 4000 characters.");
        if (request.EvidenceSha256 is not { Length: 64 } seenHash || !seenHash.All(Uri.IsHexDigit))
        {
            throw new InvalidRequestException("'evidenceSha256' must be the 64-hex-digit sha256 of the evidence you reviewed (GET /api/grants/{id}/evidence).");
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var grant = await GrantStore.FindForUpdateAsync(connection, grantId, transaction)
                    ?? throw new NotFoundException($"No grant {grantId} exists.");
        // Separation of duties: nobody signs off their own emergency access, whatever else they may be.
        if (grant.IsOwnedBy(reviewer)) throw new PolicyDeniedException("You broke glass on this grant: another reviewer must review it.");
        if (await ReviewRecords.FindAsync(connection, grantId, transaction) is { } existing)
        {
            throw new ConflictException($"Grant {grantId} was already {existing.Decision} by {existing.Reviewer} at {existing.DecidedAt:O}.");
        }
        var report = (await EvidenceStore.LoadAsync(connection, transaction, grantId, rules.Version, cancellationToken))!;
        if (!IsReviewable(grant, report))
        {
            throw new ConflictException($"Grant {grantId} is {grant.Status} with {report.Completeness} evidence: it is not ready for review yet.");
        }
        if (!string.Equals(report.Sha256, seenHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConflictException($"The evidence changed since you looked (now {report.Sha256}): reload it and review again.");
        }

        var decidedAt = AuditHash.ToStoredPrecision(time.GetUtcNow());
        await connection.ExecuteAsync(
            """
            INSERT INTO reviews (grant_id, decision, reviewer, decided_at, notes, evidence_sha256)
            VALUES (@grantId, @decision, @reviewer, @decidedAt, @notes, @sha256)
            """,
            new { grantId, decision, reviewer, decidedAt, notes, sha256 = report.Sha256 }, transaction);
        var moved = await GrantStore.TryMoveAsync(connection, transaction, grantId, decision == "approved" ? GrantStatus.Approved : GrantStatus.Flagged);
        if (!moved) throw new ConflictException($"Grant {grantId} changed while it was being reviewed; reload and try again.");
        var decided = await audit.AppendAsync(connection, transaction, grantId, DecidedEvent, reviewer, new Dictionary<string, object?>
        {
            ["decision"] = decision,
            ["notes"] = notes,
            ["evidenceSha256"] = report.Sha256,
            ["evidenceCompleteness"] = report.Completeness,
        });
        await tickets.EnqueueCommentAsync(connection, transaction, grantId, "review-decision", CommentFor(reviewer, decision, decidedAt, notes, report, ChainHead.Of(decided)));
        await transaction.CommitAsync(cancellationToken);
        return new ReviewView(decision, reviewer, decidedAt, notes, report.Sha256);
    }

    private bool IsReviewable(Grant grant, EvidenceReport report) =>
        grant.Status == GrantStatus.AwaitingReview
        || (grant.Status == GrantStatus.CollectingEvidence && report.FinalPassDueAt is { } due
            && due.AddMinutes(options.CurrentValue.FinalPassGraceMinutes) <= time.GetUtcNow());

    /// <param name="head">The decision's own audit event: the chain head as the grant closes, kept in the ticket, outside the database.</param>
    private static string CommentFor(string reviewer, string decision, DateTimeOffset decidedAt, string? notes, EvidenceReport report, ChainHead head) =>
        string.Create(CultureInfo.InvariantCulture,
            $"""
             **Post-incident review: {(decision == "approved" ? "approved ✅" : "flagged ⚠️")}**

             - Reviewer: {TicketMarkdown.Inline(reviewer)}
             - Decided: {decidedAt:yyyy-MM-dd HH:mm} UTC
             - Evidence reviewed: {report.Completeness}, {report.Summary.TotalEvents} CloudTrail events, sha256 `{report.Sha256}`
             - Audit chain head: event {head.Sequence}, hash `{head.Hash}`
             {(notes is null ? "" : $"\n{TicketMarkdown.Quote(notes)}\n")}
             """);
}
