using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tickets;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Tickets;

public sealed class TicketFilingTests(LinearFixture fixture) : IClassFixture<LinearFixture>
{
    [Fact]
    public async Task WithoutATicketAnUrgentIssueIsFiledInTheTeamWithTheLabelAndTheWholeStory()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(engineer));

        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, minutes: 90, reason: "Payments API returns 500s, rolling back the | deploy"))
            .ReadObjectAsync(HttpStatusCode.Created);

        var id = (string)grant["id"]!;
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.Equal("filed", (string?)grant["ticket"]!["status"]);
        Assert.Equal(issue.Identifier, (string?)grant["ticket"]!["identifier"]);
        Assert.Equal(issue.Url, (string?)grant["ticket"]!["url"]);
        Assert.Null((string?)grant["ticket"]!["lastError"]);
        Assert.Equal(fixture.Team.Id, issue.Team.Id);
        Assert.Equal([fixture.Label.Id], issue.LabelIds);
        Assert.Equal(1, issue.Priority);
        Assert.Contains(engineer, issue.Title);
        Assert.Contains(BreakGlassFixture.AdminRole, issue.Title);
        Assert.Contains(TicketMarkdown.Inline(engineer), issue.Description);
        Assert.Contains(fixture.Service.Aws.RoleArns[0], issue.Description);
        Assert.Contains("`123456789012`", issue.Description);
        Assert.Contains("> Payments API returns 500s, rolling back the \\| deploy", issue.Description);
        Assert.Contains("(90 min)", issue.Description);
        Assert.Contains($"({LinearServiceFixture.PublicUrl}/api/grants/{id})", issue.Description);
        // The request's budget covers filing; the link back may follow a moment later from the outbox.
        Assert.True(await Eventually.TrueAsync(() => fixture.Linear.Attachments.Any(attachment => attachment.Issue.Id == issue.Id), Eventually.Patience));
        var link = Assert.Single(fixture.Linear.Attachments, attachment => attachment.Issue.Id == issue.Id);
        Assert.Equal($"{LinearServiceFixture.PublicUrl}/api/grants/{id}", link.Url);
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.Service.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'ticket.filed'", ("id", Guid.Parse(id))));
        Assert.DoesNotContain(fixture.Service.Log, line => line.Contains(fixture.Linear.ApiKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("https://linear.app/breakglass-tests/issue/{0}/billing-export-stuck")]
    public async Task ANamedTicketIsLinkedWithACommentAndALinkBackAndNoNewIssue(string reference)
    {
        var existing = fixture.Linear.Workspace.AddIssue(fixture.Team, "Billing export stuck");
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(engineer));
        var issuesBefore = fixture.Linear.Issues.Count;

        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.TicketRole, minutes: 45,
                reason: "Billing export is stuck, need to restart the job", ticket: string.Format(reference, existing.Identifier)))
            .ReadObjectAsync(HttpStatusCode.Created);

        var id = (string)grant["id"]!;
        Assert.Equal("linked", (string?)grant["ticket"]!["status"]);
        Assert.Equal(existing.Identifier, (string?)grant["ticket"]!["identifier"]);
        Assert.Equal(existing.Url, (string?)grant["ticket"]!["url"]);
        Assert.Equal(issuesBefore, fixture.Linear.Issues.Count);
        // Linking is confirmed within the request's budget; the link back and the comment may follow from the outbox.
        Assert.True(await Eventually.TrueAsync(
            () => fixture.Linear.Attachments.Any(attachment => attachment.Issue.Id == existing.Id) && fixture.CommentsOn(existing.Id).Count > 0,
            Eventually.Patience));
        var link = Assert.Single(fixture.Linear.Attachments, attachment => attachment.Issue.Id == existing.Id);
        Assert.Equal($"{LinearServiceFixture.PublicUrl}/api/grants/{id}", link.Url);
        var comment = Assert.Single(fixture.CommentsOn(existing.Id));
        Assert.Contains(TicketMarkdown.Inline(engineer), comment.Body);
        Assert.Contains(BreakGlassFixture.TicketRole, comment.Body);
        Assert.Contains("> Billing export is stuck, need to restart the job", comment.Body);
        Assert.Contains($"until **{DateTimeOffset.Parse((string)grant["expiresAt"]!).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC**", comment.Body);
        Assert.Contains((string)grant["credentials"]!["accessKeyId"]!, comment.Body);
    }

    [Fact]
    public async Task ATicketLinearDoesNotKnowIsRefusedAndNoGrantIsMade()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(engineer));

        var response = await client.BreakGlassAsync(BreakGlassFixture.TicketRole, ticket: "OPS-99999");

        var problem = await response.ReadObjectAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("OPS-99999", (string?)problem["detail"]);
        Assert.Equal(0L, await Database.GrantCountAsync(fixture.Service, engineer));
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.Service.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE actor = @engineer AND event_type = 'grant.denied' AND data LIKE '%OPS-99999%'", ("engineer", TestIdentityProvider.SubjectOf(engineer))));
    }

    [Fact]
    public async Task AMalformedTicketIsABadRequestAndLinearIsNotAsked()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(engineer));
        var requestsBefore = fixture.Linear.RequestCount;

        var response = await client.BreakGlassAsync(BreakGlassFixture.TicketRole, ticket: "https://evil.example.com/issue/OPS-1");

        var problem = await response.ReadObjectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'ticket' must be a Linear issue identifier", (string?)problem["detail"]);
        Assert.Equal(requestsBefore, fixture.Linear.RequestCount);
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.Service.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE actor = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))));
    }

    [Fact]
    public async Task IssuedReissuedAndEndedEarlyAreEachCommentedOnceInOrder()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(engineer));
        var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)grant["id"]!;
        var reissued = await (await client.PostAsync($"/api/grants/{id}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);
        await (await client.RevokeAsync(id, "rollback finished, handing back")).ReadObjectAsync(HttpStatusCode.OK);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));

        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count >= 3, Eventually.Patience));
        // Several sweeps later nothing has been posted twice.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var comments = fixture.CommentsOn(issue.Id).Select(comment => comment.Body).ToList();
        Assert.Equal(3, comments.Count);
        Assert.StartsWith("**Access granted**", comments[0]);
        Assert.Contains((string)grant["credentials"]!["accessKeyId"]!, comments[0]);
        Assert.StartsWith("**Fresh credentials issued**", comments[1]);
        Assert.Contains((string)reissued["credentials"]!["accessKeyId"]!, comments[1]);
        Assert.StartsWith("**Access ended early**", comments[2]);
        Assert.Contains(TicketMarkdown.Inline(engineer), comments[2]);
        Assert.Contains("rollback finished, handing back", comments[2]);
    }

    [Fact]
    public async Task TheEndOfTheWindowIsCommentedOnTheTicket()
    {
        var role = fixture.Service.TakeDedicatedRole();
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
        var grant = await (await client.BreakGlassAsync(role, minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)grant["id"]!;
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        var expiresAt = DateTimeOffset.Parse((string)grant["expiresAt"]!);

        var ended = await Eventually.TrueAsync(
            () => fixture.CommentsOn(issue.Id).Any(comment => comment.Body.StartsWith("**Access ended**", StringComparison.Ordinal)),
            expiresAt - DateTimeOffset.UtcNow + Eventually.Patience);

        Assert.True(ended);
        Assert.Single(fixture.CommentsOn(issue.Id), comment => comment.Body.StartsWith("**Access ended**", StringComparison.Ordinal));
        Assert.Contains("end of the window", fixture.CommentsOn(issue.Id)[^1].Body);
    }
}
