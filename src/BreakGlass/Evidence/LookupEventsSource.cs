using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Amazon;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Evidence;

/// <summary>
/// The first source: CloudTrail LookupEvents, by access key, in every configured region, each region paced by
/// the shared database-backed gate of its account.
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
    /// The events signed with <paramref name="accessKeyId"/> between <paramref name="start"/> and <paramref name="end"/>
    /// in <paramref name="region"/>. Only records whose <c>userIdentity.accessKeyId</c> is that key are kept: evidence
    /// must never hold another principal's calls, whatever the lookup matched on.
    /// </summary>
    public async IAsyncEnumerable<CollectedRecord> ReadAsync(
        string accountId, string region, string accessKeyId, DateTimeOffset start, DateTimeOffset end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd((accountId, region),
            key => new PostgresRequestRateGate(database, key.Account, key.Region, options.Value.LookupRequestsPerSecond, time));
        await foreach (var trailEvent in ClientFor(region).LookupAllAsync(accessKeyId, start, end, gate, cancellationToken))
        {
            var record = CloudTrailRecord.Parse(trailEvent.CloudTrailEvent
                ?? throw new InvalidDataException($"LookupEvents returned event {trailEvent.EventId} without its CloudTrailEvent record"));
            if (!string.Equals(record.AccessKeyId, accessKeyId, StringComparison.Ordinal)) continue;
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
