using System.Net;
using BreakGlass.Audit;
using BreakGlass.Grants;
using BreakGlass.Revocation;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Npgsql;

namespace BreakGlass.Tests.Audit;

public sealed class AuditTableTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Theory]
    [InlineData("UPDATE audit_events SET actor = 'someone-else'")]
    [InlineData("DELETE FROM audit_events")]
    [InlineData("TRUNCATE audit_events")]
    public async Task TheDatabaseRefusesToRewriteTheAuditLog(string statement)
    {
        await BreakGlassOnceAsync();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync(fixture.ConnectionString, statement));

        Assert.Contains("append-only", refused.MessageText);
        Assert.True(await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM audit_events") > 0);
    }

    [Fact]
    public async Task EveryStateChangeOfAGrantIsAnAuditEventWithItsActor()
    {
        var email = TestIdentityProvider.NewUser();
        var engineer = TestIdentityProvider.SubjectOf(email);
        using var client = fixture.Client(fixture.Idp.Requester(email));
        var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var id = Guid.Parse((string)created["id"]!);
        await (await client.PostAsync($"/api/grants/{id}/credentials", null)).ReadObjectAsync(HttpStatusCode.OK);
        await (await client.RevokeAsync(id.ToString())).ReadObjectAsync(HttpStatusCode.OK);

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT event_type, actor FROM audit_events WHERE grant_id = @id ORDER BY sequence", connection);
        command.Parameters.AddWithValue("id", id);
        var events = new List<(string Type, string Actor)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) events.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.Equal(
            [
                (GrantAuditEvents.Requested, engineer),
                (GrantAuditEvents.Issued, engineer),
                (GrantAuditEvents.CredentialsReissued, engineer),
                (RevocationAuditEvents.Ending, engineer),
                (RevocationAuditEvents.Revoked, SystemActor.Name),
            ],
            events.Where(e => e.Type != RevocationAuditEvents.DenyVerified));
        // Each deny write is verified before the grant counts as revoked (the request and the sweeper may both write it).
        var verified = events.FindIndex(e => e == (RevocationAuditEvents.DenyVerified, SystemActor.Name));
        Assert.InRange(verified, events.FindIndex(e => e.Type == RevocationAuditEvents.Ending) + 1,
            events.FindIndex(e => e.Type == RevocationAuditEvents.Revoked) - 1);
    }

    [Fact]
    public async Task EachEventIsChainedToTheOneBefore()
    {
        await BreakGlassOnceAsync();
        await BreakGlassOnceAsync();

        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT sequence, occurred_at, grant_id, event_type, actor, data, previous_hash, hash FROM audit_events ORDER BY sequence", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var previous = AuditHash.Genesis;
        var expectedSequence = 1L;
        while (await reader.ReadAsync())
        {
            var sequence = reader.GetInt64(0);
            Assert.Equal(expectedSequence++, sequence);
            Assert.Equal(previous, reader.GetString(6));
            var recomputed = AuditHash.Compute(sequence, reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), previous);
            Assert.Equal(recomputed, reader.GetString(7));
            previous = recomputed;
        }
        Assert.True(expectedSequence > 4);
    }

    private async Task BreakGlassOnceAsync()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
    }
}
