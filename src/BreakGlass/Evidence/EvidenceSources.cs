using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence.S3Logs;
using Microsoft.Extensions.Options;

namespace BreakGlass.Evidence;

/// <summary>The session and its window: what a pass looks for.</summary>
internal sealed record SessionWindow(SessionIdentity Session, DateTimeOffset Start, DateTimeOffset End);

/// <summary>Every configured source of CloudTrail records: LookupEvents always, the trail's S3 log files when configured.</summary>
internal sealed class EvidenceSources(LookupEventsSource lookup, AwsEnvironment aws, IOptions<EvidenceOptions> options)
{
    private readonly S3CloudTrailLogSource? _s3 = options.Value.S3.Location is { } location ? S3CloudTrailLogSource.Create(aws, location) : null;

    /// <summary>
    /// The session's records, LookupEvents first (by region: each key, then the role session name, which finds the
    /// console session's other key) and S3 after (by key, session name or source identity, which finds chained
    /// sessions), so an event both sources hold is attributed to LookupEvents. Regions are read in parallel: each has
    /// its own rate limit. LookupEvents takes one attribute per request, hence one request series per attribute.
    /// </summary>
    public async Task<IReadOnlyList<CollectedRecord>> ReadAsync(SessionWindow window, CancellationToken cancellationToken)
    {
        var session = window.Session;
        LookupAttribute[] attributes =
        [
            .. session.AccessKeyIds.Select(LookupAttribute.AccessKeyId),
            LookupAttribute.Username(session.RoleSessionName),
        ];
        var byRegion = await Task.WhenAll(lookup.Regions.Select(async region =>
        {
            var found = new List<CollectedRecord>();
            foreach (var attribute in attributes)
            {
                await foreach (var record in lookup.ReadAsync(session, region, attribute, window.Start, window.End, cancellationToken))
                {
                    found.Add(record);
                }
            }
            return found;
        }));
        var all = byRegion.SelectMany(found => found).ToList();
        if (_s3 is not null)
        {
            await foreach (var record in _s3.ReadAsync(session.AccountId, session.Made, window.Start, window.End, cancellationToken))
            {
                all.Add(new CollectedRecord(record, CollectedRecord.S3, []));
            }
        }
        return all;
    }
}
