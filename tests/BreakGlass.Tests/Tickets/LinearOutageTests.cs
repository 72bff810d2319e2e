using System.Diagnostics;
using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tests.Linear;
using Xunit.Abstractions;

namespace BreakGlass.Tests.Tickets;

public sealed class LinearOutageTests(LinearFixture fixture, ITestOutputHelper output) : IClassFixture<LinearFixture>
{
    private static readonly TimeSpan Backfill = TimeSpan.FromSeconds(45);

    /// <summary>The request budget is 2 s; STS, the database and a busy test machine get the rest.</summary>
    private static readonly TimeSpan WithinAFewSeconds = TimeSpan.FromSeconds(4);

    [Theory]
    [InlineData("refused")]
    [InlineData("unavailable")]
    [InlineData("reset")]
    [InlineData("slow")]
    public async Task WhileLinearIsDownGrantsAreIssuedInSecondsAndEachTicketIsBackfilledOnceAfterwards(string outage)
    {
        var existing = fixture.Linear.Workspace.AddIssue(fixture.Team, "Checkout latency");
        var latencies = new List<TimeSpan>();
        var toFile = new List<string>();
        string toLink;
        using var client = fixture.Service.Client(fixture.Service.Idp.Requester(TestIdentityProvider.NewUser()));
        await BreakLinearAsync(outage);
        try
        {
            for (var index = 0; index < 2; index++)
            {
                toFile.Add(await BreakGlassTimedAsync(client, latencies, BreakGlassFixture.AdminRole, null));
            }
            toLink = await BreakGlassTimedAsync(client, latencies, BreakGlassFixture.TicketRole, existing.Identifier);
        }
        finally
        {
            await RepairLinearAsync(outage);
        }
        output.WriteLine($"Linear {outage}: grant latencies {string.Join(", ", latencies.Select(latency => $"{latency.TotalMilliseconds:0} ms"))}");
        Assert.All(latencies, latency => Assert.True(latency < WithinAFewSeconds, $"a grant took {latency.TotalMilliseconds:0} ms"));

        foreach (var id in toFile)
        {
            var ticket = await client.WaitForTicketAsync(id, "filed", Backfill);
            Assert.Equal("filed", (string?)ticket["status"]);
            var issue = Assert.Single(fixture.IssuesFiledFor(id));
            Assert.Equal(issue.Identifier, (string?)ticket["identifier"]);
            Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 1, Backfill));
        }
        var linked = await client.WaitForTicketAsync(toLink, "linked", Backfill);
        Assert.Equal(existing.Identifier, (string?)linked["identifier"]);
        Assert.Empty(fixture.IssuesFiledFor(toLink));
        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(existing.Id).Count == 1, Backfill));
        Assert.Single(fixture.Linear.Attachments, attachment => attachment.Issue.Id == existing.Id);
    }

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
        var ticket = await client.WaitForTicketAsync(id, "filed", Backfill);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.Equal(issue.Identifier, (string?)ticket["identifier"]);
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
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 1, Backfill));
        fixture.Linear.DropAnswersAfterCommit(3);

        await (await client.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);

        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 2, Backfill));
        Assert.True(await Eventually.TrueAsync(() => AllActionsDoneAsync(id), Backfill));
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

        var ticket = await client.WaitForTicketAsync(id, "filed", Backfill);

        Assert.Equal("filed", (string?)ticket["status"]);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.Contains("`ops-424242`", issue.Description);
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.Service.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'ticket.reference_not_found'", ("id", Guid.Parse(id))));
    }

    private async Task<string> BreakGlassTimedAsync(HttpClient client, List<TimeSpan> latencies, string role, string? ticket)
    {
        var clock = Stopwatch.StartNew();
        var response = await client.BreakGlassAsync(role, ticket: ticket);
        latencies.Add(clock.Elapsed);
        var grant = await response.ReadObjectAsync(HttpStatusCode.Created);
        Assert.Equal("pending", (string?)grant["ticket"]!["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)grant["ticket"]!["lastError"]), $"a pending ticket says why: {grant["ticket"]}");
        Assert.NotNull(grant["credentials"]);
        return (string)grant["id"]!;
    }

    private async Task BreakLinearAsync(string outage)
    {
        switch (outage)
        {
            case "slow":
                fixture.Linear.Delay = TimeSpan.FromSeconds(5);
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
        if (outage == "slow")
            fixture.Linear.Delay = TimeSpan.Zero;
        else
            await fixture.Linear.ComeBackAsync();
    }

    private Task<bool> AllActionsDoneAsync(string grantId) =>
        Database.ScalarAsync<bool>(fixture.Service.ConnectionString,
            "SELECT bool_and(status = 'done') FROM ticket_actions WHERE grant_id = @id", ("id", Guid.Parse(grantId)));
}
