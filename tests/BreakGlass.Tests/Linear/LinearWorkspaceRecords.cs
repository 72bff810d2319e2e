namespace BreakGlass.Tests.Linear;

// What the double stores. Property names match Linear's field names: GraphQL.NET's default
// resolver reads them by name, so a document selects exactly the fields Linear would return.

internal sealed record LinearTeamRecord(string Id, string Key, string Name);

internal sealed record LinearLabelRecord(string Id, string Name, LinearTeamRecord? Team);

internal sealed record LinearIssueRecord(
    string Id,
    string Identifier,
    string Title,
    string? Description,
    double Priority,
    IReadOnlyList<string> LabelIds,
    LinearTeamRecord Team,
    string Url);

internal sealed record LinearCommentRecord(string Id, string Body, LinearIssueRecord Issue, string Url);

internal sealed record LinearAttachmentRecord(string Id, string Url, string Title, string? Subtitle, LinearIssueRecord Issue);

internal sealed record LinearIssuePayload(bool Success, LinearIssueRecord Issue, double LastSyncId);

internal sealed record LinearCommentPayload(bool Success, LinearCommentRecord Comment, double LastSyncId);

internal sealed record LinearAttachmentPayload(bool Success, LinearAttachmentRecord Attachment, double LastSyncId);

internal sealed record LinearPageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

internal sealed record LinearLabelConnection(IReadOnlyList<LinearLabelRecord> Nodes, LinearPageInfo PageInfo);
