using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using BreakGlass.Accounts;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>
/// The first source: CloudTrail LookupEvents, by one lookup attribute at a time, in every configured region, each
/// region paced by the shared database-backed gate of its account. LookupEvents answers for the caller's own account
/// only, so a session's events are read in the session's account: through its agent, or as the broker in its own.
/// </summary>
internal sealed class LookupEventsSource(
    AwsEnvironment aws,
    AccountDirectory accounts,
    NpgsqlDataSource database,
    IOptions<EvidenceOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<(string Account, string Region), CloudTrailClient> _clients = new();
    private readonly ConcurrentDictionary<(string Account, string Region), IRequestRateGate> _gates = new();

    public IReadOnlyList<string> Regions { get; } = options.Value.Regions(aws.Region.SystemName).ToArray();

    /// <summary>
    /// The events matching <paramref name="attribute"/> between <paramref name="start"/> and <paramref name="end"/>
    /// in <paramref name="region"/> that <paramref name="session"/> made: a role session name is not unique across
    /// roles, so what the lookup matched is checked against the whole identity.
    /// </summary>
    public async IAsyncEnumerable<CollectedRecord> ReadAsync(
        SessionIdentity session, string region, LookupAttribute attribute, DateTimeOffset start, DateTimeOffset end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var trailEvent in ClientFor(session.AccountId, region).LookupAllAsync(attribute, start, end, GateFor(session.AccountId, region), cancellationToken))
        {
            var record = CloudTrailRecord.Parse(trailEvent.CloudTrailEvent
                ?? throw new InvalidDataException($"LookupEvents returned event {trailEvent.EventId} without its CloudTrailEvent record"));
            if (!session.Made(record.Raw)) continue;
            var names = trailEvent.Resources.Select(resource => resource.ResourceName).OfType<string>().ToArray();
            yield return new CollectedRecord(record, CollectedRecord.Lookup, names);
        }
    }

    /// <summary>CloudTrail of <paramref name="accountId"/> in <paramref name="region"/>, as whoever acts in that account.</summary>
    /// <exception cref="AccountUnreachableException">The account has no usable agent and is not the broker's own.</exception>
    public CloudTrailClient ClientFor(string accountId, string region) =>
        _clients.GetOrAdd((accountId, region), key => CloudTrailClient.Create(
            accounts.EnvironmentFor(key.Account, key.Region), time, loggers.CreateLogger<CloudTrailClient>()));

    /// <summary>AWS limits LookupEvents per account and region: every grant and instance shares that account and region's gate.</summary>
    public IRequestRateGate GateFor(string accountId, string region) =>
        _gates.GetOrAdd((accountId, region),
            key => new PostgresRequestRateGate(database, key.Account, key.Region, options.Value.LookupRequestsPerSecond, time));
}
