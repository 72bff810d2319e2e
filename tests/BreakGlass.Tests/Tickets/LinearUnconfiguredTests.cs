using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using BreakGlass.Tickets;
using Npgsql;

namespace BreakGlass.Tests.Tickets;

public sealed class LinearUnconfiguredTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Theory]
    [InlineData(BreakGlassFixture.AdminRole, null, null)]
    [InlineData(BreakGlassFixture.TicketRole, "ops-12", "OPS-12")]
    public async Task WithoutLinearGrantsAreIssuedAndTheTicketSaysItIsPendingAndWhy(string role, string? ticket, string? identifier)
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));

        var grant = await (await client.BreakGlassAsync(role, ticket: ticket)).ReadObjectAsync(HttpStatusCode.Created);

        Assert.NotNull(grant["credentials"]);
        var view = (await client.GetGrantAsync((string)grant["id"]!)).Ticket!;
        Assert.Equal("pending", view.Status);
        Assert.Equal(identifier, view.Identifier);
        Assert.Null(view.Url);
        Assert.StartsWith("Linear is not configured", view.LastError);
        // Nothing is lost: the actions wait for a configured restart.
        Assert.Equal(3L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM ticket_actions WHERE grant_id = @id AND status = 'pending'", ("id", Guid.Parse((string)grant["id"]!))));
    }

    [Fact]
    public async Task AQueuedCommentCommitsWithTheCallersTransactionAndOnlyOncePerKey()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var grantId = Guid.Parse((string)(await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created))["id"]!);
        var outbox = new TicketOutbox(TimeProvider.System);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();

        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            Assert.True(await outbox.EnqueueCommentAsync(connection, rolledBack, grantId, "evidence-ready", "**Evidence** is ready."));
            await rolledBack.RollbackAsync();
        }
        Assert.Equal(0L, await CommentsAsync(grantId, "evidence-ready"));

        await using (var committed = await connection.BeginTransactionAsync())
        {
            Assert.True(await outbox.EnqueueCommentAsync(connection, committed, grantId, "evidence-ready", "**Evidence** is ready."));
            Assert.False(await outbox.EnqueueCommentAsync(connection, committed, grantId, "evidence-ready", "**Evidence** is ready, again."));
            await committed.CommitAsync();
        }
        Assert.False(await outbox.EnqueueCommentAsync(connection, null, grantId, "evidence-ready", "**Evidence** is ready."));
        Assert.Equal(1L, await CommentsAsync(grantId, "evidence-ready"));
        Assert.False(await outbox.EnqueueCommentAsync(connection, null, Guid.NewGuid(), "evidence-ready", "no such grant"));
    }

    private Task<long> CommentsAsync(Guid grantId, string dedupeKey) =>
        Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM ticket_actions WHERE grant_id = @grantId AND kind = 'comment' AND dedupe_key = @dedupeKey",
            ("grantId", grantId), ("dedupeKey", dedupeKey));
}
