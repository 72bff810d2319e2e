using System.Diagnostics;
using BreakGlass.Audit;
using BreakGlass.Aws.Sts;
using BreakGlass.Evidence;
using BreakGlass.Evidence.Rules;
using BreakGlass.Grants;
using BreakGlass.Revocation;
using BreakGlass.Reviews;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tickets;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BreakGlass.Bench;

/// <summary>
/// A year of closed grants written through the service's own SQL, batch by batch: each table by its owner's batch
/// path (<see cref="GrantStore.InsertAllAsync"/>, <see cref="TicketRequests.OpenAllUnconfiguredAsync"/>,
/// <see cref="TicketOutbox.EnqueueAllAsync"/>, <see cref="EvidencePlanner.RecordAllEmptyAsync"/>,
/// <see cref="ReviewRecords.InsertAllAsync"/>) and every audit event through <see cref="AuditLog.AppendAllAsync"/>,
/// so the hash chain is the one the service builds. One by one through the service's own paths, the same register
/// took 70 ms a grant on this machine (about two hours for 100,000).
/// </summary>
/// <remarks>
/// Each grant ends as its life would: requested (<c>grant.requested</c>, a ticket waiting for Linear, which is not
/// configured), issued (<c>grant.issued</c>, its access key id), ended by its window and revoked (<c>grant.ending</c>,
/// <c>grant.revoked</c>), its evidence complete after a final pass that found no calls (<c>evidence.complete</c>), and
/// decided by another engineer (<c>review.decided</c>): most approved, every 37th flagged, every 20th and the newest
/// 2 % still to review. Left out: the IAM deny (its <c>role_denies</c> row is pruned once the credentials expire, so a
/// year-old register holds none), the Hangfire jobs of each grant (they would only make the service under test run a
/// year of past jobs), and the evidence and review comments on the ticket (their text is built from the whole report).
/// Audit events are stamped when seeded, as <see cref="AuditLog"/> stamps them; the grants' own times spread over the year.
/// </remarks>
internal sealed class RegisterSeed
{
    private const int Batch = 500;

    private readonly EvidenceServices _services;
    private readonly IReadOnlyList<(string Name, string Arn)> _roles;
    private readonly int _grants;
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private RegisterSeed(EvidenceServices services, IReadOnlyList<(string Name, string Arn)> roles, int grants)
    {
        _services = services;
        _roles = roles;
        _grants = grants;
    }

    /// <param name="ownerConnectionString">The benchmark's database as its owner: the seeder migrates it first.</param>
    /// <param name="writers">Batches written at once; their audit events queue for the chain's lock, just before each commits.</param>
    public static async Task SeedAsync(string ownerConnectionString, Uri awsEndpoint, IReadOnlyList<(string Name, string Arn)> roles, int grants, int writers)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{PublicUrlOptions.Section}:PublicUrl"] = "https://breakglass.example.com",
        }).Build();
        await using var services = await EvidenceServices.StartAsync(ownerConnectionString, awsEndpoint, migrate: true, more: collection =>
        {
            collection.AddSingleton<IConfiguration>(configuration);
            collection.AddTickets(configuration);
        });
        var seed = new RegisterSeed(services, roles, grants);
        var stopwatch = Stopwatch.StartNew();
        var batches = Enumerable.Range(0, (grants + Batch - 1) / Batch).ToArray();
        var next = -1;
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(async _ =>
        {
            int batch;
            while ((batch = Interlocked.Increment(ref next)) < batches.Length)
            {
                await seed.WriteBatchAsync(batch * Batch, Math.Min(Batch, grants - batch * Batch));
                if (Interlocked.Add(ref done, Batch) % 10_000 == 0) Console.WriteLine($"seeded {done:N0} grants in {stopwatch.Elapsed.TotalSeconds:F0} s");
            }
        }));
        Console.WriteLine($"seeded {grants:N0} grants in {stopwatch.Elapsed.TotalSeconds:F0} s with {writers} writers of {Batch}-grant batches");
        // As autovacuum would long have done on a year-old database: plans see the register's real size.
        await using var owner = new NpgsqlConnection(ownerConnectionString);
        await owner.OpenAsync();
        await owner.ExecuteAsync("VACUUM ANALYZE");
    }

    private async Task WriteBatchAsync(int first, int count)
    {
        var tickets = _services.Get<TicketRequests>();
        var rulesVersion = _services.Get<SeverityRules>().Version;
        var grants = Enumerable.Range(first, count).Select(NewGrant).ToList();
        var keys = grants.Select(grant => new IssuedKey(grant.Id, $"ASIA{Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16]}", grant.RequestedAt, grant.ExpiresAt)).ToList();
        await using var connection = await _services.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await GrantStore.InsertAllAsync(connection, transaction, grants);
        await GrantStore.RecordAllCredentialsAsync(connection, transaction, keys);
        await tickets.OpenAllUnconfiguredAsync(connection, transaction, grants);
        await _services.Get<TicketOutbox>().EnqueueAllAsync(connection, transaction, grants.SelectMany((grant, index) => new[]
        {
            new TicketAction(grant.Id, TicketActionKind.Comment, TicketOutbox.Keys.AccessGranted, TicketMarkdown.CredentialsIssued(grant,
                new IssuedCredentials(keys[index].AccessKeyId, "", "", grant.ExpiresAt), tickets.GrantUrl(grant.Id), reissued: false)),
            new TicketAction(grant.Id, TicketActionKind.Comment, TicketOutbox.Keys.Ended, TicketMarkdown.Ended(grant, early: false)),
        }).ToList());
        var hashes = await _services.Planner.RecordAllEmptyAsync(connection, transaction,
            grants.Select(grant => (grant.Id, grant.EndedAt!.Value, FinalPassAt(grant))).ToList());
        var decisions = grants.Select((grant, index) => (grant.Id, Decision: DecisionOn(grant, hashes[index]))).Where(row => row.Decision is not null)
            .Select(row => (row.Id, row.Decision!)).ToList();
        await ReviewRecords.InsertAllAsync(connection, transaction, decisions);
        var decided = decisions.ToDictionary(row => row.Id, row => row.Item2);
        await _services.Get<AuditLog>().AppendAllAsync(connection, transaction,
            grants.SelectMany((grant, index) => Events(grant, keys[index], hashes[index], rulesVersion, decided.GetValueOrDefault(grant.Id))).ToList());
        await transaction.CommitAsync();
    }

    private Grant NewGrant(int index)
    {
        var (roleName, roleArn) = _roles[index % _roles.Count];
        var requester = Requester(index);
        var requestedAt = _now.AddDays(-365).AddSeconds(index * 365.0 * 86_400 / _grants);
        var status = IsUndecided(index) ? GrantStatus.AwaitingReview : index % 37 == 0 ? GrantStatus.Flagged : GrantStatus.Approved;
        return new Grant(Guid.CreateVersion7(requestedAt), status, requester, roleName, roleArn,
            $"Incident {index}: the payments queue is backing up, restarting the consumers", null, requestedAt, requestedAt.AddHours(1),
            requestedAt.AddHours(1), requestedAt.AddHours(1), SystemActor.Name, "the grant window ended", 0, null, $"{requester}@example.com");
    }

    private static DateTimeOffset FinalPassAt(Grant grant) => grant.EndedAt!.Value.AddMinutes(20);

    private ReviewView? DecisionOn(Grant grant, string evidenceSha256)
    {
        var reviewer = Requester(Array.IndexOf(Requesters, grant.Requester) + 1);
        var decidedAt = FinalPassAt(grant).AddHours(2);
        return grant.Status switch
        {
            GrantStatus.Approved => new ReviewView(ReviewDecisions.Approved, reviewer, decidedAt, null, evidenceSha256),
            GrantStatus.Flagged => new ReviewView(ReviewDecisions.Flagged, reviewer, decidedAt, "Console access outside the ticket's scope: follow up with the engineer", evidenceSha256),
            _ => null,
        };
    }

    private static IEnumerable<NewAuditEvent> Events(Grant grant, IssuedKey key, string evidenceSha256, int rulesVersion, ReviewView? decision)
    {
        yield return new NewAuditEvent(grant.Id, GrantAuditEvents.Requested, grant.Requester, new Dictionary<string, object?>
        {
            ["requesterName"] = grant.RequesterName, ["role"] = grant.RoleName, ["roleArn"] = grant.RoleArn, ["reason"] = grant.Reason, ["ticket"] = null,
            ["requestedAt"] = grant.RequestedAt, ["expiresAt"] = grant.ExpiresAt, ["stsDurationSeconds"] = 3600, ["policyDecision"] = "allowed",
        });
        yield return new NewAuditEvent(grant.Id, GrantAuditEvents.Issued, grant.Requester, new Dictionary<string, object?>
        {
            ["accessKeyId"] = key.AccessKeyId, ["credentialsExpireAt"] = key.ExpiresAt, ["roleSessionName"] = AssumeRoleParameters.RoleSessionName(grant),
        });
        yield return new NewAuditEvent(grant.Id, RevocationAuditEvents.Ending, SystemActor.Name, new Dictionary<string, object?>
        {
            ["reason"] = grant.EndReason, ["early"] = false, ["endedAt"] = grant.EndedAt, ["windowEndsAt"] = grant.ExpiresAt,
        });
        yield return new NewAuditEvent(grant.Id, RevocationAuditEvents.Revoked, SystemActor.Name, new Dictionary<string, object?>
        {
            ["roleArn"] = grant.RoleArn, ["policyName"] = DenyPolicy.PolicyName, ["deniedGrants"] = 1, ["prunedGrants"] = 1, ["attempts"] = 1,
        });
        yield return new NewAuditEvent(grant.Id, EvidenceAuditEvents.Complete, SystemActor.Name, new Dictionary<string, object?>
        {
            ["sha256"] = evidenceSha256, ["completeness"] = EvidenceCompleteness.Complete, ["pass"] = "final", ["events"] = 0, ["newEvents"] = 0,
            ["critical"] = 0, ["rulesVersion"] = rulesVersion,
        });
        if (decision is null) yield break;
        yield return new NewAuditEvent(grant.Id, ReviewDecisions.DecidedEvent, decision.Reviewer, new Dictionary<string, object?>
        {
            ["decision"] = decision.Decision, ["notes"] = decision.Notes, ["evidenceSha256"] = evidenceSha256,
            ["evidenceCompleteness"] = EvidenceCompleteness.Complete, ["supersedes"] = null,
        });
    }

    private static readonly string[] Requesters = Enumerable.Range(0, 500).Select(index => $"engineer-{index:D3}").ToArray();

    public static string Requester(int index) => Requesters[index % Requesters.Length];

    private bool IsUndecided(int index) => index >= _grants * 0.98 || index % 20 == 0;
}
