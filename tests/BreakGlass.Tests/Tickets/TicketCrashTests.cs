using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tests.Linear;
using Npgsql;

namespace BreakGlass.Tests.Tickets;

public sealed class TicketCrashTests(LinearOutageFixture fixture) : IClassFixture<LinearOutageFixture>
{
    [Fact]
    public async Task AKillBetweenLinearCreatingTheIssueAndBreakGlassRecordingItStillEndsWithOneIssue()
    {
        var token = fixture.Service.Idp.Requester(TestIdentityProvider.NewUser());
        string id;
        using (var client = fixture.Service.Client(token))
        {
            await fixture.Linear.GoDownAsync(LinearOutage.ServiceUnavailable);
            var grant = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
            id = (string)grant["id"]!;
            Assert.Equal("pending", (string?)grant["ticket"]!["status"]);
        }

        // Readers pass, writers wait: the service can create the issue in Linear but not record that it did.
        await using (var blocker = new NpgsqlConnection(fixture.Service.ConnectionString))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await using (var lockTickets = new NpgsqlCommand("LOCK TABLE tickets IN SHARE MODE", blocker, hold))
                await lockTickets.ExecuteNonQueryAsync();
            await fixture.Linear.ComeBackAsync();
            Assert.True(await Eventually.TrueAsync(() => fixture.IssuesFiledFor(id).Count == 1, Eventually.Patience), "the backfill reached Linear");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.Equal("pending", await Database.ScalarAsync<string>(fixture.Service.ConnectionString,
                "SELECT status FROM tickets WHERE grant_id = @id", ("id", Guid.Parse(id))));

            fixture.Service.Service.Kill();
            await hold.RollbackAsync();
        }
        var restarted = await fixture.Service.StartInstanceAsync();
        using var afterRestart = fixture.Service.Client(token, restarted);

        var ticket = await afterRestart.WaitForTicketAsync(id, "filed", Eventually.Patience);

        Assert.Equal("filed", ticket.Status);
        var issue = Assert.Single(fixture.IssuesFiledFor(id));
        Assert.Equal(issue.Identifier, ticket.Identifier);
        Assert.True(await Eventually.TrueAsync(() => fixture.CommentsOn(issue.Id).Count == 1, Eventually.Patience));
        Assert.Single(fixture.Linear.Attachments, attachment => attachment.Issue.Id == issue.Id);
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.Service.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'ticket.filed'", ("id", Guid.Parse(id))));
    }
}
