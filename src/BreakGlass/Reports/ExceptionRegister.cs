using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Reviews;
using Dapper;
using Npgsql;

namespace BreakGlass.Reports;

internal sealed record RegisterFilter(
    DateTimeOffset? From, DateTimeOffset? To, string? Requester, string? Role, GrantStatus? Status, string? Decision, int Page, int PageSize)
{
    /// <summary>Far beyond any real register, and small enough that page × pageSize can never overflow.</summary>
    public const int MaxPage = 1_000_000;

    public static readonly string[] Decisions = ["approved", "flagged", "none"];

    /// <summary>The register's filters as callers give them (the API's query, the audit page's form); throws what is wrong.</summary>
    public static RegisterFilter Parse(
        DateTimeOffset? from, DateTimeOffset? to, string? requester, string? role, string? status, string? decision, int page, int pageSize)
    {
        if (page is < 1 or > MaxPage) throw new InvalidRequestException($"page must be between 1 and {MaxPage}.");
        if (pageSize is < 1 or > 1000) throw new InvalidRequestException("pageSize must be between 1 and 1000.");
        GrantStatus? parsedStatus = null;
        if (status is not null)
        {
            parsedStatus = Enum.TryParse<GrantStatus>(status, ignoreCase: true, out var known) && !int.TryParse(status, out _)
                ? known
                : throw new InvalidRequestException($"Unknown status '{status}'. Known: {string.Join(", ", Enum.GetNames<GrantStatus>())}.");
        }
        if (decision is not null && !Decisions.Contains(decision))
        {
            throw new InvalidRequestException("decision must be approved, flagged or none.");
        }
        if (from is not null && to is not null && from >= to) throw new InvalidRequestException("from must be before to.");
        return new RegisterFilter(from, to, requester, role, parsedStatus, decision, page, pageSize);
    }
}

/// <param name="Review">The current decision; <paramref name="ReviewHistory"/> holds every decision, oldest first (a flag may supersede an approval).</param>
internal sealed record RegisterEntry(GrantResponse Grant, ReviewView? Review, IReadOnlyList<ReviewView> ReviewHistory);

internal sealed record RegisterPage(int Page, int PageSize, long Total, IReadOnlyList<RegisterEntry> Items);

/// <summary>The exception register: every break-glass grant, filtered and paged, as JSON or CSV.</summary>
internal sealed class ExceptionRegister(NpgsqlDataSource database, GrantViews views)
{
    private const string Where =
        $"""
        WHERE {GrantStore.NotDrill}
          AND (@From::timestamptz IS NULL OR g.requested_at >= @From)
          AND (@To::timestamptz IS NULL OR g.requested_at < @To)
          AND (@Requester::text IS NULL OR g.requester = @Requester OR lower(g.requester_name) = lower(@Requester))
          AND (@Role::text IS NULL OR lower(g.role_name) = lower(@Role))
          AND (@Status::text IS NULL OR g.status = @Status)
          AND (@Decision::text IS NULL OR (@Decision = 'none' AND NOT {ReviewRecords.HasDecision}) OR {ReviewRecords.CurrentDecisionIs})
        """;

    public async Task<RegisterPage> QueryAsync(RegisterFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var parameters = new
        {
            filter.From, filter.To, filter.Requester, filter.Role, Status = filter.Status?.ToString(), filter.Decision,
            Limit = filter.PageSize, Offset = (filter.Page - 1) * filter.PageSize,
        };
        var total = await connection.ExecuteScalarAsync<long>(
            $"SELECT count(*) FROM grants g {Where}", parameters);
        var grants = (await connection.QueryAsync<Grant>(
            $"""
             SELECT {GrantStore.Columns}
             FROM grants g {Where}
             ORDER BY g.requested_at DESC, g.id LIMIT @Limit OFFSET @Offset
             """, parameters)).AsList();
        var reviews = await ReviewRecords.FindAllAsync(connection, grants.Select(grant => grant.Id).ToArray());
        var items = (await views.ViewAllAsync(connection, grants, cancellationToken)).Select(view => new RegisterEntry(view, reviews.GetValueOrDefault(view.Id)?.Current, reviews.GetValueOrDefault(view.Id)?.Decisions ?? [])).ToList();
        return new RegisterPage(filter.Page, filter.PageSize, total, items);
    }

    public static readonly string[] CsvHeader =
    [
        "grant_id", "status", "requester", "role", "role_arn", "reason", "requested_at", "expires_at", "ended_at", "ended_by",
        "end_reason", "ticket", "ticket_url", "access_key_ids", "decision", "reviewer", "decided_at", "review_notes", "evidence_sha256",
        "review_history",
    ];

    public static string ToCsv(RegisterPage page) =>
        Csv.Write(CsvHeader, page.Items.Select(item => (IReadOnlyList<string?>)
        [
            item.Grant.Id.ToString(), item.Grant.Status, item.Grant.Requester, item.Grant.Role, item.Grant.RoleArn, item.Grant.Reason,
            Csv.Timestamp(item.Grant.RequestedAt), Csv.Timestamp(item.Grant.ExpiresAt), Csv.Timestamp(item.Grant.EndedAt), item.Grant.EndedBy,
            item.Grant.EndReason, item.Grant.Ticket?.Identifier, item.Grant.Ticket?.Url, string.Join(' ', item.Grant.AccessKeyIds),
            item.Review?.Decision, item.Review?.Reviewer, Csv.Timestamp(item.Review?.DecidedAt), item.Review?.Notes, item.Review?.EvidenceSha256,
            string.Join("; ", item.ReviewHistory.Select(review => $"{review.Decision} by {review.Reviewer} at {Csv.Timestamp(review.DecidedAt)}")),
        ]));
}
