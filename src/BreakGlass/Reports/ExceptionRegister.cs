using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Reviews;
using Dapper;
using Npgsql;

namespace BreakGlass.Reports;

/// <param name="After">Where the page starts when paging by cursor: right after this position (then <paramref name="Page"/> is 1).</param>
internal sealed record RegisterFilter(
    DateTimeOffset? From, DateTimeOffset? To, string? Requester, string? Role, GrantStatus? Status, string? Decision, int Page, int PageSize,
    RegisterPosition? After = null)
{
    /// <summary>Far beyond any real register, and small enough that page × pageSize can never overflow.</summary>
    public const int MaxPage = 1_000_000;

    public static readonly string[] Decisions = ["approved", "flagged", "none"];

    /// <summary>The register's filters as callers give them (the API's query, the audit page's form); throws what is wrong.</summary>
    /// <param name="after">The <c>next</c> cursor of the previous page, for the same filters; excludes <paramref name="page"/>.</param>
    public static RegisterFilter Parse(
        DateTimeOffset? from, DateTimeOffset? to, string? requester, string? role, string? status, string? decision, int page, int pageSize,
        string? after = null)
    {
        if (page is < 1 or > MaxPage) throw new InvalidRequestException($"page must be between 1 and {MaxPage}.");
        if (pageSize is < 1 or > 1000) throw new InvalidRequestException("pageSize must be between 1 and 1000.");
        if (after is not null && page != 1) throw new InvalidRequestException("Give either 'page' or 'after' (the previous page's 'next' cursor), not both.");
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
        var filter = new RegisterFilter(from, to, requester, role, parsedStatus, decision, page, pageSize);
        return after is null ? filter : filter with { After = RegisterCursor.Decode(after, filter) };
    }
}

/// <param name="Review">The current decision; <paramref name="ReviewHistory"/> holds every decision, oldest first (a flag may supersede an approval).</param>
internal sealed record RegisterEntry(GrantResponse Grant, ReviewView? Review, IReadOnlyList<ReviewView> ReviewHistory);

/// <param name="Page">The page number asked for; null when the page was asked for by cursor.</param>
/// <param name="Next">The cursor of the page after this one (<c>after=</c>), null on the last page.</param>
internal sealed record RegisterPage(int? Page, int PageSize, long Total, IReadOnlyList<RegisterEntry> Items, string? Next);

/// <summary>The exception register: every break-glass grant, filtered and paged, as JSON or CSV.</summary>
/// <remarks>
/// Newest first, by (requested_at, id) descending. A page asked for by cursor starts right after the previous page's last grant
/// (keyset): its cost does not grow with its depth, and grants added meanwhile never shift a walk that is under way.
/// Page numbers still work (OFFSET), for existing clients and short registers.
/// </remarks>
internal sealed class ExceptionRegister(NpgsqlDataSource database, GrantViews views)
{
    public async Task<RegisterPage> QueryAsync(RegisterFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var (count, page, parameters) = Queries(filter);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition(count, parameters, cancellationToken: cancellationToken));
        var grants = (await connection.QueryAsync<Grant>(new CommandDefinition(page, parameters, cancellationToken: cancellationToken))).AsList();
        // The query reads one row beyond the page: it tells whether another page follows.
        string? next = null;
        if (grants.Count > filter.PageSize)
        {
            grants.RemoveAt(filter.PageSize);
            next = RegisterCursor.Encode(new RegisterPosition(grants[^1].RequestedAt, grants[^1].Id), filter);
        }
        var reviews = await ReviewRecords.FindAllAsync(connection, grants.Select(grant => grant.Id).ToArray());
        var items = (await views.ViewAllAsync(connection, grants, cancellationToken))
            .Select(view => new RegisterEntry(view, reviews.GetValueOrDefault(view.Id)?.Current, reviews.GetValueOrDefault(view.Id)?.Decisions ?? []))
            .ToList();
        return new RegisterPage(filter.After is null ? filter.Page : null, filter.PageSize, total, items, next);
    }

    /// <summary>The count and the page's SQL with only the conditions the filter uses (never a drill), so each plan can use its index.</summary>
    internal static (string Count, string Page, DynamicParameters Parameters) Queries(RegisterFilter filter)
    {
        var parameters = new DynamicParameters();
        var conditions = new List<string> { GrantStore.NotDrill };
        if (filter.From is { } from) Add("g.requested_at >= @From", ("From", from));
        if (filter.To is { } to) Add("g.requested_at < @To", ("To", to));
        if (filter.Requester is { } requester) Add("(g.requester = @Requester OR lower(g.requester_name) = lower(@Requester))", ("Requester", requester));
        if (filter.Role is { } role) Add("lower(g.role_name) = lower(@Role)", ("Role", role));
        if (filter.Status is { } status) Add("g.status = @Status", ("Status", status.ToString()));
        if (filter.Decision is { } decision) Add(ReviewRecords.CurrentDecisionIs(decision));
        var count = $"SELECT count(*) FROM grants g WHERE {string.Join(" AND ", conditions)}";
        if (filter.After is { } after)
        {
            // A row comparison, not an OR: it is the index range itself, so a deep page starts at its first row.
            Add("(g.requested_at, g.id) < (@AfterAt, @AfterId)", ("AfterAt", after.RequestedAt), ("AfterId", after.Id));
        }
        parameters.Add("Limit", filter.PageSize + 1);
        parameters.Add("Offset", filter.After is null ? (filter.Page - 1) * filter.PageSize : 0);
        var page =
            $"""
             SELECT {GrantStore.Columns}
             FROM grants g WHERE {string.Join(" AND ", conditions)}
             ORDER BY g.requested_at DESC, g.id DESC LIMIT @Limit OFFSET @Offset
             """;
        return (count, page, parameters);

        void Add(string condition, params (string Name, object Value)[] values)
        {
            conditions.Add(condition);
            foreach (var (name, value) in values) parameters.Add(name, value);
        }
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
