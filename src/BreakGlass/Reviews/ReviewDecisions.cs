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

/// <summary>
/// Records a reviewer's sign-off (or flag) on exactly the evidence they saw, by someone other than the requester. A
/// decision is never changed: after an approval a flag may still be added, which supersedes it; nothing follows a flag.
/// </summary>
internal sealed class ReviewDecisions(
    NpgsqlDataSource database,
    SeverityRules rules,
    AuditLog audit,
    TicketOutbox tickets,
    IOptionsMonitor<ReviewOptions> options,
    TimeProvider time)
{
    public const string DecidedEvent = "review.decided";
    public const string Approved = "approved";
    public const string Flagged = "flagged";

    public async Task<ReviewView> DecideAsync(ClaimsPrincipal caller, Guid grantId, DecisionRequest request, CancellationToken cancellationToken)
    {
        var reviewer = caller.UserName();
        var (decision, notes, seenHash) = Validate(request);

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var grant = await GrantStore.FindForUpdateAsync(connection, grantId, transaction)
                    ?? throw new NotFoundException($"No grant {grantId} exists.");
        // Separation of duties: nobody signs off their own emergency access, whatever else they may be.
        if (grant.IsOwnedBy(reviewer)) throw new PolicyDeniedException("You broke glass on this grant: another reviewer must review it.");
        if (await GrantStore.IsDrillAsync(connection, grantId, transaction))
        {
            throw new ConflictException($"Grant {grantId} is a drill's (GET /api/drills): drills are not exceptions and need no review.");
        }
        var history = await ReviewRecords.FindAsync(connection, grantId, transaction);
        if (history.Current is { } current && !(current.Decision == Approved && decision == Flagged))
        {
            throw new ConflictException(current.Decision == Flagged
                ? $"Grant {grantId} was flagged by {current.Reviewer} at {current.DecidedAt:O}: a flag stands, and an approval never replaces it."
                : $"Grant {grantId} was already approved by {current.Reviewer} at {current.DecidedAt:O}; it can still be flagged (with notes), not approved again.");
        }
        var report = (await EvidenceStore.LoadAsync(connection, transaction, grantId, rules, cancellationToken))!;
        if (history.Current is null && !IsReviewable(grant, report))
        {
            throw new ConflictException(NotReadyYet(grant, report));
        }
        if (!string.Equals(report.Sha256, seenHash, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConflictException($"The evidence changed since you looked (now {report.Sha256}): reload it and review again.");
        }

        var view = new ReviewView(decision, reviewer, AuditHash.ToStoredPrecision(time.GetUtcNow()), notes, report.Sha256, history.Current?.Decision);
        await ReviewRecords.InsertAsync(connection, transaction, grantId, view);
        var moved = await GrantStore.TryMoveAsync(connection, transaction, grantId, decision == Approved ? GrantStatus.Approved : GrantStatus.Flagged);
        if (!moved) throw new ConflictException($"Grant {grantId} changed while it was being reviewed; reload and try again.");
        var decided = await audit.AppendAsync(connection, transaction, grantId, DecidedEvent, reviewer, new Dictionary<string, object?>
        {
            ["decision"] = decision,
            ["notes"] = notes,
            ["evidenceSha256"] = report.Sha256,
            ["evidenceCompleteness"] = report.Completeness,
            ["supersedes"] = history.Current is { } superseded
                ? new Dictionary<string, object?> { ["decision"] = superseded.Decision, ["reviewer"] = superseded.Reviewer, ["decidedAt"] = superseded.DecidedAt }
                : null,
        });
        // The first decision and a later flag are two comments: the outbox keeps one per key.
        await tickets.EnqueueCommentAsync(connection, transaction, grantId, history.Current is null ? "review-decision" : "review-decision:flagged",
            CommentFor(view, history.Current, report, ChainHead.Of(decided)));
        await transaction.CommitAsync(cancellationToken);
        return view;
    }

    /// <summary>Every problem with the request at once, so one correction fixes them all.</summary>
    private static (string Decision, string? Notes, string SeenHash) Validate(DecisionRequest request)
    {
        var problems = new List<string>();
        var decision = request.Decision?.Trim().ToLowerInvariant();
        if (decision is not (Approved or Flagged)) problems.Add("'decision' must be 'approved' or 'flagged'.");
        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim();
        if (decision == Flagged && notes is null) problems.Add("'notes' are required when flagging: say what needs follow-up.");
        if (notes is { Length: > 4000 }) problems.Add("'notes' may be at most 4000 characters.");
        if (request.EvidenceSha256 is not { Length: 64 } seenHash || !seenHash.All(Uri.IsHexDigit))
        {
            problems.Add("'evidenceSha256' must be the 64-hex-digit sha256 of the evidence you reviewed (GET /api/grants/{id}/evidence).");
        }
        if (problems.Count > 0) throw new InvalidRequestException(string.Join(" ", problems));
        return (decision!, notes, request.EvidenceSha256!);
    }

    private bool IsReviewable(Grant grant, EvidenceReport report) =>
        grant.Status == GrantStatus.AwaitingReview
        || (grant.Status == GrantStatus.CollectingEvidence && ReviewableFrom(report) is { } from && from <= time.GetUtcNow());

    /// <summary>When a grant still collecting evidence becomes reviewable: its final pass, or that pass's grace ending.</summary>
    private DateTimeOffset? ReviewableFrom(EvidenceReport report) => report.FinalPassDueAt?.AddMinutes(options.CurrentValue.FinalPassGraceMinutes);

    private string NotReadyYet(Grant grant, EvidenceReport report)
    {
        if (!GrantStatuses.IsRevoked(grant.Status))
        {
            return $"Grant {grant.Id} is {grant.Status}: it can be reviewed once it has ended, its access is revoked and its evidence is collected.";
        }
        var collected = report.Completeness == EvidenceCompleteness.None ? "not collected yet" : "partly collected";
        return report.FinalPassDueAt is { } due
            ? string.Create(CultureInfo.InvariantCulture,
                $"Grant {grant.Id} is not ready for review yet: its evidence is {collected}, and the final collection pass is due at {due:yyyy-MM-dd HH:mm:ss} UTC. Review it after that.")
            : $"Grant {grant.Id} is not ready for review yet: its evidence collection is being planned. Try again in a minute.";
    }

    private static string Supersedes(ReviewView? superseded) =>
        superseded is null
            ? ""
            : string.Create(CultureInfo.InvariantCulture,
                $" (supersedes the approval by {TicketMarkdown.Inline(superseded.Reviewer)} at {superseded.DecidedAt:yyyy-MM-dd HH:mm} UTC, which stays on record)");

    /// <param name="head">The decision's own audit event: the chain head as the grant closes, kept in the ticket, outside the database.</param>
    private static string CommentFor(ReviewView decision, ReviewView? superseded, EvidenceReport report, ChainHead head) =>
        string.Create(CultureInfo.InvariantCulture,
            $"""
             **Post-incident review: {(decision.Decision == Approved ? "approved ✅" : "flagged ⚠️")}**{Supersedes(superseded)}

             - Reviewer: {TicketMarkdown.Inline(decision.Reviewer)}
             - Decided: {decision.DecidedAt:yyyy-MM-dd HH:mm} UTC
             - Evidence reviewed: {report.Completeness}, {report.Summary.TotalEvents} CloudTrail events, sha256 `{report.Sha256}`
             - Audit chain head: event {head.Sequence}, hash `{head.Hash}`
             {(decision.Notes is null ? "" : $"\n{TicketMarkdown.Quote(decision.Notes)}\n")}
             """);
}
