using System.Globalization;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tests.Linear;

namespace BreakGlass.Tests.Tickets;

/// <summary>A running BreakGlass (real PostgreSQL, moto, IdP) pointed at a Linear double with a team and a label.</summary>
public abstract class LinearServiceFixture : IAsyncLifetime
{
    public const string LabelName = "break-glass";
    public const string PublicUrl = "https://breakglass.example.com";

    internal BreakGlassFixture Service { get; } = new();
    internal LinearDouble Linear { get; private set; } = null!;
    internal LinearTeamRecord Team { get; private set; } = null!;
    internal LinearLabelRecord Label { get; private set; } = null!;

    /// <summary>The key the service sends; a fixture may give it a wrong one.</summary>
    private protected virtual string ServiceApiKey(LinearDouble linear) => linear.ApiKey;

    /// <summary>
    /// How long a grant request waits for Linear. Tests that assert what a request finished inline get the most the
    /// service allows: a healthy answer takes milliseconds, so only a defect (not a loaded CI box) runs it out.
    /// </summary>
    private protected virtual int RequestBudgetMilliseconds => 30_000;

    public async Task InitializeAsync()
    {
        Linear = await LinearDouble.StartAsync();
        Team = Linear.Workspace.AddTeam("OPS", "Operations");
        Label = Linear.Workspace.AddLabel(LabelName, Team);
        Linear.Workspace.AddLabel("unrelated", Team);
        Service.Overrides["Linear__ApiUrl"] = Linear.Endpoint.ToString();
        Service.Overrides["Linear__ApiKey"] = ServiceApiKey(Linear);
        Service.Overrides["Linear__TeamId"] = Team.Id;
        Service.Overrides["Linear__Labels__0"] = LabelName;
        Service.Overrides["Linear__RequestBudgetMilliseconds"] = RequestBudgetMilliseconds.ToString(CultureInfo.InvariantCulture);
        // Background calls wait for a held or slow double as long as the service allows, instead of 10 s.
        Service.Overrides["Linear__RequestTimeout"] = "00:02:00";
        Service.Overrides["Tickets__SweepIntervalSeconds"] = "1";
        Service.Overrides["BreakGlass__PublicUrl"] = PublicUrl;
        await Service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Linear.DisposeAsync();
    }

    /// <summary>The issues in the double that BreakGlass filed for <paramref name="grantId"/> (its id is in the description).</summary>
    internal IReadOnlyList<LinearIssueRecord> IssuesFiledFor(string grantId) =>
        Linear.Issues.Where(issue => issue.Description?.Contains(grantId, StringComparison.Ordinal) == true).ToList();

    internal IReadOnlyList<LinearCommentRecord> CommentsOn(string issueId) =>
        Linear.Comments.Where(comment => comment.Issue.Id == issueId).ToList();
}

public sealed class LinearFixture : LinearServiceFixture;

/// <summary>The service's default request budget (2 s): for tests where Linear fails or holds and the background finishes the ticket.</summary>
public sealed class LinearOutageFixture : LinearServiceFixture
{
    private protected override int RequestBudgetMilliseconds => 2000;
}

/// <summary>The service holds a key Linear refuses.</summary>
public sealed class WrongKeyLinearFixture : LinearServiceFixture
{
    public const string WrongKey = "lin_api_revoked_0123456789abcdef";

    private protected override string ServiceApiKey(LinearDouble linear) => WrongKey;
}
