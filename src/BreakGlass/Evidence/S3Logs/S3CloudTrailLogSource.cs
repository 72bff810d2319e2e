using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Evidence.S3Logs;

/// <summary>
/// The second evidence source: a trail's log files in S3. Unlike LookupEvents they also hold data events
/// (for example reads of objects), when the trail records them.
/// </summary>
internal sealed class S3CloudTrailLogSource(IAmazonS3 s3, S3TrailLocation location)
{
    /// <summary>
    /// Files sit in the folder of the day they were delivered, usually within 15 minutes of the call;
    /// an hour of slack reaches the next day's folder for calls made just before midnight.
    /// </summary>
    public static readonly TimeSpan DeliverySlack = TimeSpan.FromHours(1);

    public static S3CloudTrailLogSource Create(AwsEnvironment aws, S3TrailLocation location)
    {
        var config = new AmazonS3Config();
        if (aws.EndpointOverride is { } endpoint)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = aws.Region.SystemName;
            config.ForcePathStyle = true;
        }
        else
        {
            config.RegionEndpoint = aws.Region;
        }
        return new S3CloudTrailLogSource(new AmazonS3Client(aws.Credentials, config), location);
    }

    /// <summary>
    /// The records for which <paramref name="madeBySession"/> holds made between <paramref name="start"/> and
    /// <paramref name="end"/> (inclusive), from the folder of the session's account <paramref name="accountId"/>.
    /// </summary>
    public async IAsyncEnumerable<CloudTrailRecord> ReadAsync(
        string accountId,
        Func<JsonElement, bool> madeBySession,
        DateTimeOffset start,
        DateTimeOffset end,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool Keep(JsonElement record) =>
            CloudTrailRecord.EventTimeOf(record) is { } time && time >= start && time <= end && madeBySession(record);

        foreach (var region in location.Regions)
        {
            foreach (var day in DeliveryDays(start, end))
            {
                var listing = s3.Paginators.ListObjectsV2(new ListObjectsV2Request
                {
                    BucketName = location.Bucket,
                    Prefix = location.DayPrefix(location.AccountFolderFor(accountId), region, day),
                });
                await foreach (var logFile in listing.S3Objects.WithCancellation(cancellationToken))
                {
                    if (!logFile.Key.EndsWith(".json.gz", StringComparison.Ordinal) || DeliveredBefore(logFile.Key, start))
                    {
                        continue;
                    }
                    using var response = await s3.GetObjectAsync(location.Bucket, logFile.Key, cancellationToken);
                    await using var json = new GZipStream(response.ResponseStream, CompressionMode.Decompress);
                    await foreach (var record in CloudTrailLogFile.ReadAsync(json, Keep, cancellationToken))
                    {
                        yield return record;
                    }
                }
            }
        }
    }

    private static IEnumerable<DateOnly> DeliveryDays(DateTimeOffset start, DateTimeOffset end)
    {
        var last = DateOnly.FromDateTime((end + DeliverySlack).UtcDateTime);
        for (var day = DateOnly.FromDateTime(start.UtcDateTime); day <= last; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>
    /// A file named <c>Account_CloudTrail_Region_20250314T0935Z_Unique.json.gz</c> was delivered in that minute and
    /// holds only calls made before it, so one delivered before the window began cannot hold calls in it.
    /// </summary>
    private static bool DeliveredBefore(string key, DateTimeOffset start)
    {
        var parts = Path.GetFileName(key).Split('_');
        return parts.Length >= 5
            && DateTimeOffset.TryParseExact(parts[3], "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var delivered)
            && delivered.AddMinutes(1) <= start;
    }
}
