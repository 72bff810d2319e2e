using System.Text.RegularExpressions;

namespace BreakGlass.Tests.Linear;

/// <summary>
/// The double's in-memory Linear workspace: teams, labels, issues, comments and attachments, with the
/// rules Linear applies to the inputs BreakGlass sends (client-chosen UUID v4 ids that are never reused,
/// references that must exist, priorities 0–4, attachments unique by URL per issue).
/// </summary>
internal sealed partial class LinearWorkspace(string urlKey)
{
    private const int MaxPageSize = 250;

    private readonly Lock _gate = new();
    private readonly List<LinearTeamRecord> _teams = [];
    private readonly List<LinearLabelRecord> _labels = [];
    private readonly List<LinearIssueRecord> _issues = [];
    private readonly List<LinearCommentRecord> _comments = [];
    private readonly List<LinearAttachmentRecord> _attachments = [];
    private readonly Dictionary<string, int> _issueNumbers = [];
    private long _lastSyncId = 1000;

    public IReadOnlyList<LinearIssueRecord> Issues => Snapshot(_issues);
    public IReadOnlyList<LinearCommentRecord> Comments => Snapshot(_comments);
    public IReadOnlyList<LinearAttachmentRecord> Attachments => Snapshot(_attachments);

    public static Func<object, bool> IsTypeOf(string typeName) => typeName switch
    {
        "Team" => o => o is LinearTeamRecord,
        "IssueLabel" => o => o is LinearLabelRecord,
        "Issue" => o => o is LinearIssueRecord,
        "Comment" => o => o is LinearCommentRecord,
        "Attachment" => o => o is LinearAttachmentRecord,
        "IssuePayload" => o => o is LinearIssuePayload,
        "CommentPayload" => o => o is LinearCommentPayload,
        "AttachmentPayload" => o => o is LinearAttachmentPayload,
        "PageInfo" => o => o is LinearPageInfo,
        "IssueLabelConnection" => o => o is LinearLabelConnection,
        "Query" or "Mutation" => o => o is LinearWorkspace,
        _ => _ => false,
    };

    public LinearTeamRecord AddTeam(string key, string name)
    {
        var team = new LinearTeamRecord(Guid.NewGuid().ToString(), key, name);
        lock (_gate)
            _teams.Add(team);
        return team;
    }

    /// <summary>A label of <paramref name="team"/>, or a workspace label when it is null.</summary>
    public LinearLabelRecord AddLabel(string name, LinearTeamRecord? team)
    {
        var label = new LinearLabelRecord(Guid.NewGuid().ToString(), name, team);
        lock (_gate)
            _labels.Add(label);
        return label;
    }

    /// <summary>An issue filed by someone else, for linking tests.</summary>
    public LinearIssueRecord AddIssue(LinearTeamRecord team, string title)
    {
        lock (_gate)
            return AddIssueLocked(Guid.NewGuid().ToString(), team, title, null, 0, []);
    }

    public LinearTeamRecord Team(string id)
    {
        lock (_gate)
            return _teams.FirstOrDefault(t => t.Id == id) ?? throw LinearDoubleError.NotFound("Team");
    }

    /// <summary><c>issue(id:)</c> takes the UUID or the identifier (<c>OPS-12</c>).</summary>
    public LinearIssueRecord Issue(string idOrIdentifier)
    {
        lock (_gate)
            return FindIssueLocked(idOrIdentifier) ?? throw LinearDoubleError.NotFound("Issue");
    }

    public LinearCommentRecord Comment(string? id)
    {
        if (id is null)
            throw LinearDoubleError.InvalidInput("Either id or hash must be provided.");
        lock (_gate)
            return _comments.FirstOrDefault(c => c.Id == id) ?? throw LinearDoubleError.NotFound("Comment");
    }

    public LinearLabelConnection Labels(IDictionary<string, object?>? filter, int? first)
    {
        var pageSize = first ?? 50;
        if (pageSize is < 0 or > MaxPageSize)
            throw LinearDoubleError.InvalidInput($"first must be between 0 and {MaxPageSize}.");
        var matching = LabelFilter.Compile(filter);
        lock (_gate)
        {
            var all = _labels.Where(matching).ToList();
            var page = all.Take(pageSize).ToList();
            return new LinearLabelConnection(page, new LinearPageInfo(all.Count > page.Count, false, page.FirstOrDefault()?.Id, page.LastOrDefault()?.Id));
        }
    }

    public LinearIssuePayload CreateIssue(IDictionary<string, object?> input)
    {
        var id = ClientChosenId(input);
        var title = Text(input, "title") ?? "";
        var priority = Convert.ToInt32(Field(input, "priority") ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        if (priority is < 0 or > 4)
            throw LinearDoubleError.InvalidInput("priority must be between 0 and 4.");
        var labelIds = (Field(input, "labelIds") as IEnumerable<object?> ?? []).Cast<string>().ToList();
        lock (_gate)
        {
            var team = _teams.FirstOrDefault(t => t.Id == Text(input, "teamId")) ?? throw LinearDoubleError.NotFound("Team");
            if (id is not null && _issues.Any(i => i.Id == id))
                throw LinearDoubleError.InvalidInput("An issue with this id already exists.");
            foreach (var labelId in labelIds)
            {
                var label = _labels.FirstOrDefault(l => l.Id == labelId)
                    ?? throw new LinearDoubleError("Entity not found: IssueLabel: labelIds contained an entry that could not be found.",
                        "invalid input", "INPUT_ERROR", 400, "Could not find referenced IssueLabel.");
                if (label.Team is not null && label.Team.Id != team.Id)
                    throw LinearDoubleError.InvalidInput($"Label {label.Name} belongs to another team.");
            }
            var issue = AddIssueLocked(id ?? Guid.NewGuid().ToString(), team, title, Text(input, "description"), priority, labelIds);
            return new LinearIssuePayload(true, issue, ++_lastSyncId);
        }
    }

    public LinearCommentPayload CreateComment(IDictionary<string, object?> input)
    {
        var id = ClientChosenId(input);
        var body = Text(input, "body");
        if (string.IsNullOrWhiteSpace(body))
            throw LinearDoubleError.InvalidInput("Comment body must not be empty.");
        lock (_gate)
        {
            var issueId = Text(input, "issueId") ?? throw LinearDoubleError.InvalidInput("A comment needs an issue.");
            var issue = FindIssueLocked(issueId) ?? throw LinearDoubleError.NotFound("Issue");
            if (id is not null && _comments.Any(c => c.Id == id))
                throw LinearDoubleError.InvalidInput("A comment with this id already exists.");
            var commentId = id ?? Guid.NewGuid().ToString();
            var comment = new LinearCommentRecord(commentId, body, issue, $"{issue.Url}#comment-{commentId[..8]}");
            _comments.Add(comment);
            return new LinearCommentPayload(true, comment, ++_lastSyncId);
        }
    }

    /// <summary>Linear keeps one attachment per URL and issue: a second create with the same URL updates it.</summary>
    public LinearAttachmentPayload CreateAttachment(IDictionary<string, object?> input)
    {
        var url = Text(input, "url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out _))
            throw LinearDoubleError.InvalidInput("url must be a valid URL.");
        var title = Text(input, "title");
        if (string.IsNullOrWhiteSpace(title))
            throw LinearDoubleError.InvalidInput("title must not be empty.");
        var id = ClientChosenId(input);
        lock (_gate)
        {
            var issue = FindIssueLocked(Text(input, "issueId")!) ?? throw LinearDoubleError.NotFound("Issue");
            var index = _attachments.FindIndex(a => a.Issue.Id == issue.Id && a.Url == url);
            var attachment = new LinearAttachmentRecord(
                index >= 0 ? _attachments[index].Id : id ?? Guid.NewGuid().ToString(), url!, title, Text(input, "subtitle"), issue);
            if (index >= 0)
                _attachments[index] = attachment;
            else
                _attachments.Add(attachment);
            return new LinearAttachmentPayload(true, attachment, ++_lastSyncId);
        }
    }

    private LinearIssueRecord AddIssueLocked(string id, LinearTeamRecord team, string title, string? description, int priority, IReadOnlyList<string> labelIds)
    {
        var number = _issueNumbers[team.Id] = _issueNumbers.GetValueOrDefault(team.Id) + 1;
        var identifier = $"{team.Key}-{number}";
        var issue = new LinearIssueRecord(id, identifier, title, description, priority, labelIds, team,
            $"https://linear.app/{urlKey}/issue/{identifier.ToLowerInvariant()}/{Slug(title)}");
        _issues.Add(issue);
        return issue;
    }

    private LinearIssueRecord? FindIssueLocked(string idOrIdentifier) =>
        _issues.FirstOrDefault(i => i.Id == idOrIdentifier || string.Equals(i.Identifier, idOrIdentifier, StringComparison.OrdinalIgnoreCase));

    /// <summary>Linear documents every <c>input.id</c> as "in UUID v4 format".</summary>
    private static string? ClientChosenId(IDictionary<string, object?> input)
    {
        var id = Text(input, "id");
        if (id is null)
            return null;
        if (!Guid.TryParseExact(id, "D", out var guid) || guid.Version != 4)
            throw LinearDoubleError.InvalidInput("id must be a UUID v4.");
        return id;
    }

    private static string? Text(IDictionary<string, object?> input, string field) => Field(input, field) as string;

    private static object? Field(IDictionary<string, object?> input, string field) =>
        input.TryGetValue(field, out var value) ? value : null;

    private static string Slug(string title) => NonSlug().Replace(title.ToLowerInvariant(), "-").Trim('-');

    private IReadOnlyList<T> Snapshot<T>(List<T> items)
    {
        lock (_gate)
            return [.. items];
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NonSlug();
}
