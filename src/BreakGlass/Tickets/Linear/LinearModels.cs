namespace BreakGlass.Tickets.Linear;

internal sealed record LinearIssue(string Id, string Identifier, Uri Url, string Title);

internal sealed record LinearComment(string Id, Uri Url);

internal sealed record LinearAttachment(string Id, Uri Url);

internal sealed record LinearTeam(string Id, string Key, string Name);

/// <summary>Linear's numeric priorities (<c>IssueCreateInput.priority</c>).</summary>
internal enum LinearPriority
{
    None = 0,
    Urgent = 1,
    High = 2,
    Medium = 3,
    Low = 4,
}
