using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tickets.Linear;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BreakGlass.Tests.Linear;

public sealed class LinearClientTests : IAsyncLifetime
{
    private readonly List<HttpClient> _httpClients = [];
    private LinearDouble _linear = null!;
    private LinearTeamRecord _team = null!;

    public async Task InitializeAsync()
    {
        _linear = await LinearDouble.StartAsync();
        _team = _linear.Workspace.AddTeam("OPS", "Operations");
    }

    public async Task DisposeAsync()
    {
        _httpClients.ForEach(http => http.Dispose());
        await _linear.DisposeAsync();
    }

    [Fact]
    public async Task FilingAnIssueSendsItsIdTeamLabelsUrgentPriorityAndMarkdownDescription()
    {
        var label = _linear.Workspace.AddLabel("break-glass", _team);
        var id = Guid.NewGuid();

        var issue = await Client().CreateIssueAsync(id, "Break-glass: alice as admin", "**Reason:** outage", _team.Id,
            [label.Id], LinearPriority.Urgent, CancellationToken.None);

        var filed = Assert.Single(_linear.Issues);
        Assert.Equal(id.ToString(), filed.Id);
        Assert.Equal(_team.Id, filed.Team.Id);
        Assert.Equal([label.Id], filed.LabelIds);
        Assert.Equal(1, filed.Priority);
        Assert.Equal("**Reason:** outage", filed.Description);
        Assert.Equal(new LinearIssue(filed.Id, filed.Identifier, new Uri(filed.Url), filed.Title), issue);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("{1}")]
    [InlineData("https://linear.app/breakglass-tests/issue/{0}/database-outage")]
    [InlineData("https://linear.app/breakglass-tests/issue/{0}")]
    public async Task AnExistingIssueIsFoundByIdentifierOrUrl(string reference)
    {
        var existing = _linear.Workspace.AddIssue(_team, "Database outage");

        var issue = await Client().FindIssueAsync(string.Format(reference, existing.Identifier, existing.Identifier.ToLowerInvariant()), CancellationToken.None);

        Assert.Equal(existing.Id, issue?.Id);
        Assert.Equal(existing.Identifier, issue?.Identifier);
        Assert.Equal("Database outage", issue?.Title);
    }

    [Fact]
    public async Task AnIssueLinearDoesNotKnowIsNotFoundRatherThanAFailure()
    {
        var client = Client();

        Assert.Null(await client.FindIssueAsync("OPS-4040", CancellationToken.None));
        Assert.Null(await client.GetIssueByIdAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task AMalformedReferenceIsRefusedBeforeAnythingIsSent()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client().FindIssueAsync("OPS 12; drop", CancellationToken.None));

        Assert.Equal(0, _linear.RequestCount);
    }

    [Fact]
    public async Task PostingACommentTwiceUnderOneIdLeavesOneComment()
    {
        var issue = _linear.Workspace.AddIssue(_team, "Outage");
        var commentId = Guid.NewGuid();
        var client = Client();

        var first = await client.CreateCommentAsync(commentId, issue.Id, "Grant issued", CancellationToken.None);
        var second = await client.CreateCommentAsync(commentId, issue.Id, "Grant issued", CancellationToken.None);

        var comment = Assert.Single(_linear.Comments);
        Assert.Equal(commentId.ToString(), comment.Id);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task AttachingTheSameGrantLinkTwiceLeavesOneAttachment()
    {
        var issue = _linear.Workspace.AddIssue(_team, "Outage");
        var grant = new Uri($"https://breakglass.example/grants/{Guid.NewGuid()}");
        var client = Client();

        var first = await client.CreateAttachmentAsync(issue.Identifier, grant, "Break-glass grant", "active", CancellationToken.None);
        var second = await client.CreateAttachmentAsync(issue.Id, grant, "Break-glass grant", "revoked", CancellationToken.None);

        var attachment = Assert.Single(_linear.Attachments);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(grant.AbsoluteUri, attachment.Url);
        Assert.Equal("revoked", attachment.Subtitle);
    }

    [Fact]
    public async Task AnIssueWhoseAnswerWasLostIsReturnedNotFiledAgain()
    {
        var id = Guid.NewGuid();
        _linear.DropAnswersAfterCommit(1);

        var issue = await Client().CreateIssueAsync(id, "Break-glass", "d", _team.Id, [], LinearPriority.Urgent, CancellationToken.None);

        Assert.Equal(id.ToString(), Assert.Single(_linear.Issues).Id);
        Assert.Equal(id.ToString(), issue.Id);
        Assert.Equal(["BreakGlassIssueCreate", "BreakGlassIssueCreate", "BreakGlassIssue"], _linear.Operations);
    }

    [Fact]
    public async Task AfterAnAmbiguousFailureTheIssueIsFoundByItsIdAndARetryFilesNoDuplicate()
    {
        var id = Guid.NewGuid();
        var client = Client();
        _linear.DropAnswersAfterCommit(3);

        var failure = await Assert.ThrowsAsync<LinearException>(() =>
            client.CreateIssueAsync(id, "Break-glass", "d", _team.Id, [], LinearPriority.Urgent, CancellationToken.None));
        var found = await client.GetIssueByIdAsync(id, CancellationToken.None);
        var retried = await client.CreateIssueAsync(id, "Break-glass", "d", _team.Id, [], LinearPriority.Urgent, CancellationToken.None);

        Assert.Equal(LinearErrorKind.Transient, failure.Kind);
        Assert.Equal(id.ToString(), found?.Id);
        Assert.Equal(found, retried);
        Assert.Single(_linear.Issues);
    }

    [Fact]
    public async Task ACommentWhoseAnswerWasLostIsPostedOnce()
    {
        var issue = _linear.Workspace.AddIssue(_team, "Outage");
        var commentId = Guid.NewGuid();
        _linear.DropAnswersAfterCommit(1);

        var comment = await Client().CreateCommentAsync(commentId, issue.Identifier, "Grant revoked", CancellationToken.None);

        Assert.Equal(commentId.ToString(), Assert.Single(_linear.Comments).Id);
        Assert.Equal(commentId.ToString(), comment.Id);
        Assert.Equal(["BreakGlassCommentCreate", "BreakGlassCommentCreate", "BreakGlassComment"], _linear.Operations);
    }

    [Theory]
    [InlineData(LinearRateLimitAnswer.GraphQlError)]
    [InlineData(LinearRateLimitAnswer.TooManyRequests)]
    public async Task BeingRateLimitedSurfacesWhenToComeBackWithoutRetrying(LinearRateLimitAnswer answer)
    {
        _linear.RateLimit(1, TimeSpan.FromSeconds(30), answer);
        var client = Client();
        await client.ResolveTeamAsync(_team.Id, CancellationToken.None);

        var error = await Assert.ThrowsAsync<LinearException>(() => client.ResolveTeamAsync(_team.Id, CancellationToken.None));

        Assert.Equal(LinearErrorKind.RateLimited, error.Kind);
        Assert.InRange(error.RetryAfter ?? TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
        Assert.Equal(1, _linear.RateLimitedCount);
    }

    [Fact]
    public async Task AWrongApiKeyIsAnAuthenticationProblemAndIsNotRetried()
    {
        var error = await Assert.ThrowsAsync<LinearException>(() =>
            Client(apiKey: "lin_api_revoked").FindIssueAsync("OPS-1", CancellationToken.None));

        Assert.Equal(LinearErrorKind.Authentication, error.Kind);
        Assert.True(error.IsConfigurationProblem);
        Assert.Equal(1, _linear.RequestCount);
        Assert.DoesNotContain("lin_api_revoked", error.Message);
    }

    [Theory]
    [InlineData(LinearOutage.ConnectionRefused)]
    [InlineData(LinearOutage.ServiceUnavailable)]
    [InlineData(LinearOutage.ConnectionReset)]
    public async Task LinearBeingDownIsTransient(LinearOutage outage)
    {
        await _linear.GoDownAsync(outage);

        var error = await Assert.ThrowsAsync<LinearException>(() => Client().FindIssueAsync("OPS-1", CancellationToken.None));

        Assert.Equal(LinearErrorKind.Transient, error.Kind);
    }

    [Fact]
    public async Task ATransientFailureIsRetriedTwiceQuicklyThenReported()
    {
        await _linear.GoDownAsync(LinearOutage.ServiceUnavailable);
        var time = new RecordingTimeProvider();

        await Assert.ThrowsAsync<LinearException>(() => Client(time: time).FindIssueAsync("OPS-1", CancellationToken.None));

        Assert.Equal(3, _linear.RequestCount);
        // Quickly: the two waits it chose are sub-second (200 ms, exponential, jittered), not a backoff meant for the sweeper.
        Assert.Equal(2, time.Timers.Count);
        Assert.All(time.Timers, wait => Assert.InRange(wait, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task LinearComingBackAfterAnOutageAnswersAgain()
    {
        var existing = _linear.Workspace.AddIssue(_team, "Outage");
        await _linear.GoDownAsync(LinearOutage.ConnectionRefused);
        var client = Client();
        await Assert.ThrowsAsync<LinearException>(() => client.FindIssueAsync(existing.Identifier, CancellationToken.None));

        await _linear.ComeBackAsync();

        Assert.Equal(existing.Id, (await client.FindIssueAsync(existing.Identifier, CancellationToken.None))?.Id);
    }

    [Fact]
    public async Task ASlowAnswerTimesOutAsTransient()
    {
        _linear.HoldAnswers();

        var error = await Assert.ThrowsAsync<LinearException>(() =>
            Client(timeout: TimeSpan.FromMilliseconds(200)).FindIssueAsync("OPS-1", CancellationToken.None));

        Assert.Equal(LinearErrorKind.Transient, error.Kind);
    }

    [Fact]
    public async Task TheCallersCancellationIsNotMistakenForATimeout()
    {
        _linear.HoldAnswers();
        using var cancellation = new CancellationTokenSource();
        var finding = Client().FindIssueAsync("OPS-1", cancellation.Token);
        Assert.True(await Eventually.TrueAsync(() => _linear.HeldCount == 1, Eventually.Patience));

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => finding);
        Assert.Equal(1, _linear.RequestCount);
    }

    [Fact]
    public async Task ATeamLinearDoesNotKnowResolvesToNothing()
    {
        Assert.Null(await Client().ResolveTeamAsync(Guid.NewGuid().ToString(), CancellationToken.None));
        Assert.Equal(new LinearTeam(_team.Id, "OPS", "Operations"), await Client().ResolveTeamAsync(_team.Id, CancellationToken.None));
    }

    [Fact]
    public async Task LabelsResolveToTheTeamsOwnBeforeWorkspaceLabelsAndNeverToAnotherTeams()
    {
        var other = _linear.Workspace.AddTeam("SEC", "Security");
        _linear.Workspace.AddLabel("break-glass", null);
        var own = _linear.Workspace.AddLabel("break-glass", _team);
        var workspace = _linear.Workspace.AddLabel("incident", null);
        _linear.Workspace.AddLabel("audit", other);

        var ids = await Client().ResolveLabelIdsAsync(_team.Id, ["break-glass", "incident", "audit", "missing"], CancellationToken.None);

        Assert.Equal(new Dictionary<string, string> { ["break-glass"] = own.Id, ["incident"] = workspace.Id }, ids);
    }

    [Fact]
    public async Task AMisspelledLabelIsReportedByNameAtStartup()
    {
        _linear.Workspace.AddLabel("break-glass", _team);
        var options = Options.Create(Settings(labels: ["break-glass", "Incident"]));
        var resolver = new LinearTargetResolver(Client(), new LinearTargetCache(), options);

        var error = await Assert.ThrowsAsync<LinearException>(() => resolver.ResolveAsync(CancellationToken.None));

        Assert.Equal(LinearErrorKind.NotFound, error.Kind);
        Assert.Contains("\"Incident\"", error.Message);
        Assert.DoesNotContain("\"break-glass\"", error.Message);
    }

    [Fact]
    public async Task TheTargetIsResolvedOnceAndThenServedFromTheCache()
    {
        var label = _linear.Workspace.AddLabel("break-glass", _team);
        var resolver = new LinearTargetResolver(Client(), new LinearTargetCache(), Options.Create(Settings(labels: ["break-glass"])));

        var first = await resolver.ResolveAsync(CancellationToken.None);
        var requests = _linear.RequestCount;
        var second = await resolver.ResolveAsync(CancellationToken.None);

        Assert.Equal(new LinearTeam(_team.Id, "OPS", "Operations"), first.Team);
        Assert.Equal([label.Id], first.LabelIds);
        Assert.Same(first, second);
        Assert.Equal(requests, _linear.RequestCount);
    }

    private LinearOptions Settings(string? apiKey = null, List<string>? labels = null) => new()
    {
        ApiUrl = _linear.Endpoint,
        ApiKey = apiKey ?? _linear.ApiKey,
        TeamId = _team.Id,
        Labels = labels ?? [],
    };

    private LinearClient Client(string? apiKey = null, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        // A healthy answer takes milliseconds; a loaded CI box can take seconds, and only the timeout tests want a short one.
        var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromMinutes(2) };
        _httpClients.Add(http);
        return new LinearClient(http, Options.Create(Settings(apiKey)), time ?? TimeProvider.System, NullLogger<LinearClient>.Instance);
    }
}
