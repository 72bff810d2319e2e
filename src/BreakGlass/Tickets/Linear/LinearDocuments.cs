namespace BreakGlass.Tickets.Linear;

/// <summary>
/// Every GraphQL document BreakGlass sends to Linear. Values travel only as variables, never spliced
/// into these strings; the tests validate each one against Linear's published schema.
/// </summary>
internal static class LinearDocuments
{
    /// <summary><c>issue(id:)</c> takes either the UUID or the identifier (<c>OPS-123</c>).</summary>
    public const string Issue = """
        query BreakGlassIssue($id: String!) {
          issue(id: $id) { id identifier url title }
        }
        """;

    public const string IssueCreate = """
        mutation BreakGlassIssueCreate($input: IssueCreateInput!) {
          issueCreate(input: $input) {
            success
            issue { id identifier url title }
          }
        }
        """;

    public const string Comment = """
        query BreakGlassComment($id: String!) {
          comment(id: $id) { id url }
        }
        """;

    public const string CommentCreate = """
        mutation BreakGlassCommentCreate($input: CommentCreateInput!) {
          commentCreate(input: $input) {
            success
            comment { id url }
          }
        }
        """;

    public const string AttachmentCreate = """
        mutation BreakGlassAttachmentCreate($input: AttachmentCreateInput!) {
          attachmentCreate(input: $input) {
            success
            attachment { id url }
          }
        }
        """;

    public const string Team = """
        query BreakGlassTeam($id: String!) {
          team(id: $id) { id key name }
        }
        """;

    /// <summary>Labels by name, team-scoped and workspace-wide alike; the client keeps those usable by the team.</summary>
    public const string IssueLabels = """
        query BreakGlassIssueLabels($names: [String!]!) {
          issueLabels(first: 250, filter: { name: { in: $names } }) {
            nodes { id name team { id } }
          }
        }
        """;
}
