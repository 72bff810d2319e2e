using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Amazon;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>
/// The first source: CloudTrail LookupEvents, by one lookup attribute at a time, in every configured region, each
/// region paced by the shared database-backed gate of its account.
/// </summary>
internal sealed class LookupEventsSource(
    AwsEnvironment aws,
    NpgsqlDataSource database,
    IOptions<EvidenceOptions> options,
    TimeProvider time,
    ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, CloudTrailClient> _clients = new(StringComparer.Ordinal);
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
        var gate = _gates.GetOrAdd((session.AccountId, region),
            key => new PostgresRequestRateGate(database, key.Account, key.Region, options.Value.LookupRequestsPerSecond, time));
        await foreach (var trailEvent in ClientFor(region).LookupAllAsync(attribute, start, end, gate, cancellationToken))
        {
            var record = CloudTrailRecord.Parse(trailEvent.CloudTrailEvent
                ?? throw new InvalidDataException($"LookupEvents returned event {trailEvent.EventId} without its CloudTrailEvent record"));
            if (!session.Made(record.Raw)) continue;
            var names = trailEvent.Resources.Select(resource => resource.ResourceName).OfType<string>().ToArray();
            yield return new CollectedRecord(record, CollectedRecord.Lookup, names);
        }
    }

    private CloudTrailClient ClientFor(string region) =>
        _clients.GetOrAdd(region, name => CloudTrailClient.Create(
            new AwsEnvironment(aws.Credentials, RegionEndpoint.GetBySystemName(name), aws.EndpointOverride),
            time,
            loggers.CreateLogger<CloudTrailClient>()));
}
