using BreakGlass.Aws;
using BreakGlass.Evidence.S3Logs;
using Microsoft.Extensions.Options;

namespace BreakGlass.Evidence;

/// <summary>The session's window and keys: what a pass looks for.</summary>
/// <param name="AccountId">The account of the grant's role, whose LookupEvents rate limit the lookups share.</param>
internal sealed record SessionWindow(string AccountId, IReadOnlyList<string> AccessKeyIds, DateTimeOffset Start, DateTimeOffset End);

/// <summary>Every configured source of CloudTrail records: LookupEvents always, the trail's S3 log files when configured.</summary>
internal sealed class EvidenceSources(LookupEventsSource lookup, AwsEnvironment aws, IOptions<EvidenceOptions> options)
{
    private readonly S3CloudTrailLogSource? _s3 = options.Value.S3.Location is { } location ? S3CloudTrailLogSource.Create(aws, location) : null;

    /// <summary>
    /// The session's records, LookupEvents first (by region, then key) and S3 after, so an event both sources
    /// hold is attributed to LookupEvents. Regions are read in parallel: each has its own rate limit.
    /// </summary>
    public async Task<IReadOnlyList<CollectedRecord>> ReadAsync(SessionWindow window, CancellationToken cancellationToken)
    {
        var byRegion = await Task.WhenAll(lookup.Regions.Select(async region =>
        {
            var found = new List<CollectedRecord>();
            foreach (var accessKeyId in window.AccessKeyIds)
            {
                await foreach (var record in lookup.ReadAsync(window.AccountId, region, accessKeyId, window.Start, window.End, cancellationToken))
                {
                    found.Add(record);
                }
            }
            return found;
        }));
        var all = byRegion.SelectMany(found => found).ToList();
        if (_s3 is not null && window.AccessKeyIds.Count > 0)
        {
            await foreach (var record in _s3.ReadAsync(window.AccessKeyIds, window.Start, window.End, cancellationToken))
            {
                all.Add(new CollectedRecord(record, CollectedRecord.S3, []));
            }
        }
        return all;
    }
}
