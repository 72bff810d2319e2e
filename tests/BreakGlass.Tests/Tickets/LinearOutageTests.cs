using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tests.Linear;

namespace BreakGlass.Tests.Tickets;

/// <summary>Linear down or hanging during grant requests, with the service's default 2 s request budget.</summary>
public sealed class LinearDownTests(LinearOutageFixture fixture) : IClassFixture<LinearOutageFixture>
{
    [Theory]
    [InlineData("refused")]
    [InlineData("unavailable")]
    [InlineData("reset")]
    [InlineData("hanging")]
    public async Task WhileLinearIsDownGrantsAreIssuedWithoutWaitingForItAndEachTicketIsBackfilledOnceAfterwards(string outage)
    {
        var existing = fixture.Linear.Workspace.AddIssue(fixture.Team, "Checkout latency");
        var toFile = new List<string>();
        string toLink;
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
        await BreakLinearAsync(outage);
        try
        {
            for (var index = 0; index < 2; index++)
            {
                toFile.Add(await BreakGlassWhileDownAsync(client, outage, BreakGlassFixture.AdminRole, null));
            }
            toLink = await BreakGlassWhileDownAsync(client, outage, BreakGlassFixture.TicketRole, existing.Identifier);
        }
        finally
        {
            await RepairLinearAsync(outage);
        }

        foreach (var id in toFile)
        {
            var ticket = await client.WaitForTicketAsync(id, "filed", Eventually.Patience);
            Assert.Equal("filed", ticket.Status);
            var issue = Assert.Single(fixture.IssuesFiledFor(id));
            Assert.Equal(issue.Identifier, ticket.Identifier);
            Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 1, Eventually.Patience));
        }
        var linked = await client.WaitForTicketAsync(toLink, "linked", Eventually.Patience);
        Assert.Equal(existing.Identifier, linked.Identifier);
        Assert.Empty(fixture.IssuesFiledFor(toLink));
        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(existing.Id).Count == 1, Eventually.Patience));
        Assert.Single(fixture.Linear.Attachments, attachment => attachment.Issue.Id == existing.Id);
    }

    /// <summary>
    /// Breaks glass while Linear is down. When Linear hangs it answers nothing until <see cref="RepairLinearAsync"/>,
    /// so a grant answered here was answered without waiting for Linear: the request's budget was applied.
    /// </summary>
    private static async Task<string> BreakGlassWhileDownAsync(HttpClient client, string outage, string role, string? ticket)
    {
        var grant = await (await client.BreakGlassAsync(role, ticket: ticket)).ReadObjectAsync(HttpStatusCode.Created);
        Assert.NotNull(grant["credentials"]);
        Assert.Equal("pending", (string?)grant["ticket"]!["status"]);
        var lastError = (string?)grant["ticket"]!["lastError"];
        Assert.False(string.IsNullOrWhiteSpace(lastError), $"a pending ticket says why: {grant["ticket"]}");
        if (outage == "hanging") Assert.Contains("budget", lastError);
        return (string)grant["id"]!;
    }

    private async Task BreakLinearAsync(string outage)
    {
        switch (outage)
        {
            case "hanging":
                fixture.Linear.HoldAnswers();
                break;
            default:
                await fixture.Linear.GoDownAsync(outage switch
                {
                    "refused" => LinearOutage.ConnectionRefused,
                    "unavailable" => LinearOutage.ServiceUnavailable,
                    _ => LinearOutage.ConnectionReset,
                });
                break;
        }
    }

    private async Task RepairLinearAsync(string outage)
    {
        if (outage == "hanging")
            fixture.Linear.ReleaseAnswers();
        else
            await fixture.Linear.ComeBackAsync();
    }
}

/// <summary>Answers lost and tickets Linear forgets, with the generous request budget so what a request does inline is certain.</summary>
public sealed class LinearOutageTests(LinearFixture fixture) : IClassFixture<LinearFixture>
{
    [Fact]
    public async Task WhenLinearCreatedTheIssueButItsAnswerWasLostTheRetryFindsItInsteadOfFilingAgain()
    {
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
        // The create and both in-call retries reach Linear, but no answer comes back: the attempt fails ambiguously.
        fixture.Linear.DropAnswersAfterCommit(3);
        var createsBefore = CreatesSoFar();

        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);

        var id = (string)grant["id"]!;
        Assert.Equal("pending", (string?)grant["ticket"]!["status"]);
        var ticket = await client.WaitForTicketAsync(id, "filed", Eventually.Patience);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.Equal(issue.Identifier, ticket.Identifier);
        Assert.Equal(issue.Id, await Database.ScalarAsync<string>(fixture.Service.ConnectionString,
            "SELECT linear_issue_id FROM tickets WHERE grant_id = @id", ("id", Guid.Parse(id))));
        // The next attempt looked the issue up by its id and sent no fourth create.
        Assert.Equal(3, CreatesSoFar() - createsBefore);
    }

    private int CreatesSoFar() => fixture.Linear.Operations.Count(operation => operation == "BreakGlassIssueCreate");

    [Fact]
    public async Task ACommentWhoseAnswerWasLostIsPostedOnce()
    {
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)grant["id"]!;
        Assert.Equal("filed", (string?)grant["ticket"]!["status"]);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 1, Eventually.Patience));
        fixture.Linear.DropAnswersAfterCommit(3);

        await (await client.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 2, Eventually.Patience));
        Assert.True(await Eventually.TrueAsync(() => AllActionsDoneAsync(id), Eventually.Patience));
        Assert.Equal(2, fixture.CommentsOn(issue.Id).Count);
    }

    [Fact]
    public async Task ANamedTicketLinearTurnsOutNotToKnowAfterAnOutageIsReplacedByAFiledIssue()
    {
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
        await fixture.Linear.GoDownAsync(LinearOutage.ServiceUnavailable);
        string id;
        try
        {
            var grant = await (await client.BreakGlassAsync(BreakGlassFixture.TicketRole, ticket: "ops-424242")).ReadObjectAsync(HttpStatusCode.Created);
            id = (string)grant["id"]!;
            Assert.Equal("pending", (string?)grant["ticket"]!["status"]);
            Assert.Equal("OPS-424242", (string?)grant["ticket"]!["identifier"]);
        }
        finally
        {
            await fixture.Linear.ComeBackAsync();
        }

        var ticket = await client.WaitForTicketAsync(id, "filed", Eventually.Patience);

        Assert.Equal("filed", ticket.Status);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.Contains("`ops-424242`", issue.Description);
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.Service.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'ticket.reference_not_found'", ("id", Guid.Parse(id))));
    }

    private Task<bool> AllActionsDoneAsync(string grantId) =>
        Database.ScalarAsync<bool>(fixture.Service.ConnectionString,
            "SELECT bool_and(status = 'done') FROM ticket_actions WHERE grant_id = @id", ("id", Guid.Parse(grantId)));
}
