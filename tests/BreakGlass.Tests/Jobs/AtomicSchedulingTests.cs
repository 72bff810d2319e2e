using System.Net;
using System.Transactions;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Hangfire;
using Npgsql;

namespace BreakGlass.Tests.Jobs;

/// <summary>Invariant 1: no credentials leave the service unless the grant row and its revocation job are committed first.</summary>
public sealed class AtomicSchedulingTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task ARolledBackScopeLeavesNeitherTheRowNorTheJob()
    {
        var (dataSource, jobs) = await HangfireOverSharedDataSourceAsync();
        var marker = Guid.NewGuid();

        using (new TransactionScope(TransactionScopeOption.Required, new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted }, TransactionScopeAsyncFlowOption.Enabled))
        {
            await using (var connection = await dataSource.OpenConnectionAsync())
            await using (var insert = new NpgsqlCommand("INSERT INTO scope_markers (id) VALUES (@marker)", connection))
            {
                insert.Parameters.AddWithValue("marker", marker);
                await insert.ExecuteNonQueryAsync();
            }
            jobs.Schedule(() => Console.WriteLine(marker.ToString()), TimeSpan.FromHours(1));
            // No Complete(): the scope rolls back.
        }

        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM scope_markers WHERE id = @marker", ("marker", marker)));
        Assert.Equal(0L, await JobsMentioningAsync(marker));
    }

    [Fact]
    public async Task ACompletedScopeCommitsTheRowAndTheJobTogether()
    {
        var (dataSource, jobs) = await HangfireOverSharedDataSourceAsync();
        var marker = Guid.NewGuid();

        using (var scope = new TransactionScope(TransactionScopeOption.Required, new TransactionOptions { IsolationLevel = IsolationLevel.ReadCommitted }, TransactionScopeAsyncFlowOption.Enabled))
        {
            await using (var connection = await dataSource.OpenConnectionAsync())
            await using (var insert = new NpgsqlCommand("INSERT INTO scope_markers (id) VALUES (@marker)", connection))
            {
                insert.Parameters.AddWithValue("marker", marker);
                await insert.ExecuteNonQueryAsync();
            }
            jobs.Schedule(() => Console.WriteLine(marker.ToString()), TimeSpan.FromHours(1));
            scope.Complete();
        }

        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM scope_markers WHERE id = @marker", ("marker", marker)));
        Assert.Equal(1L, await JobsMentioningAsync(marker));
    }

    [Fact]
    public async Task WhenTheRevocationJobCannotBeCommittedNoGrantAndNoCredentialsExist()
    {
        var engineer = TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Requester(engineer));
        var issuedBefore = await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM grant_credentials");
        await Database.ExecuteAsync(fixture.ConnectionString,
            """
            CREATE FUNCTION refuse_jobs() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'job storage refuses writes'; END; $$;
            CREATE TRIGGER refuse_jobs BEFORE INSERT ON hangfire.job FOR EACH ROW EXECUTE FUNCTION refuse_jobs();
            """);
        HttpResponseMessage response;
        try
        {
            response = await client.BreakGlassAsync(BreakGlassFixture.AdminRole);
        }
        finally
        {
            await Database.ExecuteAsync(fixture.ConnectionString, "DROP TRIGGER refuse_jobs ON hangfire.job; DROP FUNCTION refuse_jobs();");
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("secretAccessKey", await response.Content.ReadAsStringAsync());
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM grants WHERE requester = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))));
        Assert.Equal(issuedBefore, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM grant_credentials"));
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE actor = @engineer", ("engineer", TestIdentityProvider.SubjectOf(engineer))));
    }

    [Fact]
    public async Task EveryIssuedGrantHasItsRevocationScheduledAtItsExpiry()
    {
        using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await client.BreakGlassAsync(BreakGlassFixture.AdminRole, minutes: 90)).ReadObjectAsync(HttpStatusCode.Created);
        var id = Guid.Parse((string)created["id"]!);

        var jobId = long.Parse(await Database.ScalarAsync<string>(fixture.ConnectionString, "SELECT revocation_job_id FROM grants WHERE id = @id", ("id", id)));
        var enqueueAt = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT data::json ->> 'EnqueueAt' FROM hangfire.state WHERE jobid = @jobId AND name = 'Scheduled'", ("jobId", jobId));
        var scheduledFor = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(enqueueAt));

        Assert.InRange((scheduledFor - DateTimeOffset.Parse((string)created["expiresAt"]!)).TotalSeconds, -1, 1);
    }

    private async Task<(NpgsqlDataSource DataSource, BackgroundJobClient Jobs)> HangfireOverSharedDataSourceAsync()
    {
        await Database.ExecuteAsync(fixture.ConnectionString, "CREATE TABLE IF NOT EXISTS scope_markers (id uuid PRIMARY KEY)");
        return HangfireClients.For(fixture.ConnectionString);
    }

    private Task<long> JobsMentioningAsync(Guid marker) =>
        Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM hangfire.job WHERE arguments::text LIKE @pattern", ("pattern", $"%{marker}%"));
}
