using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence;
using BreakGlass.Evidence.S3Logs;
using BreakGlass.LocalAws;
using BreakGlass.Tests.CloudTrail;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Bench;

/// <summary>
/// Evidence collection against its ceiling: LookupEvents returns at most 50 events per call and AWS allows 2 calls per
/// second per account and region, so no collector can exceed rate × 50 events per second. Measured through the real
/// pass (shared PostgreSQL rate gate, LocalAws LookupEvents with its 2 requests/s throttle, recording and hashing in
/// PostgreSQL). Then the S3 source: CloudTrail log files parsed, from memory and from moto's S3.
/// </summary>
internal static class EvidenceThroughput
{
    private const double Rate = 2;

    public static async Task RunAsync(int eventsPerGrant, int concurrentGrants)
    {
        var moto = new MotoServer();
        await moto.InitializeAsync();
        try
        {
            await using (var front = await LocalAwsApp.StartAsync(0, moto.Endpoint))
            {
                await CollectAsync(front.BaseUrl, eventsPerGrant, concurrentGrants);
            }
            await ParseFromMemoryAsync(records: 200_000);
            await ParseFromS3Async(moto, files: 10, recordsPerFile: 20_000);
        }
        finally
        {
            await moto.DisposeAsync();
        }
    }

    private static async Task CollectAsync(Uri front, int eventsPerGrant, int concurrentGrants)
    {
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("bench_evidence");
        await using var services = await EvidenceServices.StartAsync(connectionString, front, new Dictionary<string, string>
        {
            ["LookupRequestsPerSecond"] = Rate.ToString(CultureInfo.InvariantCulture),
            ["LookupRegions:0"] = "us-east-1",
        }, migrate: true);
        var localAws = new LocalAwsTestClient(front);

        var single = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            single.Add(await TimePassAsync(services, [await SeededGrantAsync(services, localAws, eventsPerGrant)]));
        }
        var ceiling = Rate * LookupEventsPageSize;
        var median = Statistics.Percentile(single, 50);
        Console.WriteLine($"evidence collection  1 grant x {eventsPerGrant} events: median {eventsPerGrant / median:F1} events/s = " +
                          $"{eventsPerGrant / median / ceiling:P0} of rate x 50 ({ceiling:F0}/s); pass {median:F2} s " +
                          $"(runs {string.Join(", ", single.Select(seconds => seconds.ToString("F2", CultureInfo.InvariantCulture)))} s)");

        var grants = new List<Guid>();
        for (var index = 0; index < concurrentGrants; index++) grants.Add(await SeededGrantAsync(services, localAws, eventsPerGrant));
        var together = await TimePassAsync(services, grants);
        var total = eventsPerGrant * concurrentGrants;
        Console.WriteLine($"evidence collection  {concurrentGrants} grants at once x {eventsPerGrant} events: {total / together:F1} events/s = " +
                          $"{total / together / ceiling:P0} of rate x 50, all through one shared gate; {together:F2} s");
    }

    private const int LookupEventsPageSize = CloudTrailClient.MaxPageSize;

    private static async Task<Guid> SeededGrantAsync(EvidenceServices services, LocalAwsTestClient localAws, int events)
    {
        var key = LocalAwsTestClient.NewAccessKeyId();
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddHours(-2), DateTimeOffset.UtcNow.AddHours(-1));
        var grantId = await RevokedGrants.InsertAsync(services, [key], requestedAt, endedAt);
        foreach (var chunk in SessionEvents.Spread(key, events, requestedAt, endedAt).Chunk(2000)) await localAws.SeedAsync(chunk);
        return grantId;
    }

    /// <returns>Seconds until every grant's pass is recorded.</returns>
    private static async Task<double> TimePassAsync(EvidenceServices services, IReadOnlyList<Guid> grants)
    {
        var stopwatch = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(grants.Select(grantId => services.Collector.RerunAsync(grantId, EvidencePass.First, CancellationToken.None)));
        if (outcomes.Any(outcome => outcome != PassOutcome.Recorded)) throw new InvalidOperationException($"a pass did not run: {string.Join(", ", outcomes)}");
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static async Task ParseFromMemoryAsync(int records)
    {
        var (file, grantKey) = LogFile(records);
        var gzipped = Gzip(file);
        for (var warmup = 0; warmup < 2; warmup++) await CountAsync(new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress), grantKey);
        var stopwatch = Stopwatch.StartNew();
        var kept = await CountAsync(new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress), grantKey);
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"S3 log parsing       in memory: {records / seconds:N0} records/s scanned ({kept} kept, the grant's 1 in 10), " +
                          $"{file.Length / seconds / 1e6:F0} MB/s of JSON, gzip {gzipped.Length / 1e6:F1} MB for {file.Length / 1e6:F0} MB");
    }

    private static async Task ParseFromS3Async(MotoServer moto, int files, int recordsPerFile)
    {
        var bucket = $"bench-trail-{Guid.NewGuid():N}";
        using var s3 = new AmazonS3Client(new BasicAWSCredentials("testing", "testing"),
            new AmazonS3Config { ServiceURL = moto.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync(bucket);
        var location = new S3TrailLocation(bucket, "123456789012", ["us-east-1"]);
        var grantKey = LocalAwsTestClient.NewAccessKeyId();
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        for (var index = 0; index < files; index++)
        {
            var records = Records(recordsPerFile, grantKey, start.AddMinutes(index * 5));
            await S3CloudTrailLogSourceTests.PutLogFileAsync(s3, location, "us-east-1",
                start.AddMinutes(index * 5 + 5).UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture), records);
        }
        var source = S3CloudTrailLogSource.Create(new AwsEnvironment(new BasicAWSCredentials("testing", "testing"), RegionEndpoint.USEast1, moto.Endpoint), location);
        var stopwatch = Stopwatch.StartNew();
        var kept = 0;
        await foreach (var _ in source.ReadAsync("123456789012", record => CloudTrailRecord.AccessKeyIdOf(record) == grantKey, start, start.AddHours(2), CancellationToken.None)) kept++;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"S3 log parsing       from moto S3 ({files} files): {files * recordsPerFile / seconds:N0} records/s scanned " +
                          $"({kept} kept), listing and GETs included");
    }

    private static (byte[] File, string GrantKey) LogFile(int records)
    {
        var grantKey = LocalAwsTestClient.NewAccessKeyId();
        return (CloudTrailLogFileTests.LogFileOf(Records(records, grantKey, DateTimeOffset.UtcNow.AddHours(-1))), grantKey);
    }

    /// <summary>One call a second; every tenth by the grant's key, the rest by nine other principals.</summary>
    private static JsonObject[] Records(int count, string grantKey, DateTimeOffset from)
    {
        var others = Enumerable.Range(0, 9).Select(_ => LocalAwsTestClient.NewAccessKeyId("AKIA")).ToArray();
        var session = SessionEvents.Spread(grantKey, count, from, from.AddSeconds(count));
        for (var index = 0; index < count; index++)
        {
            if (index % 10 != 0) session[index]["userIdentity"]!["accessKeyId"] = others[index % 9];
        }
        return [.. session];
    }

    private static async Task<int> CountAsync(Stream json, string grantKey)
    {
        var kept = 0;
        await foreach (var _ in CloudTrailLogFile.ReadAsync(json, record => CloudTrailRecord.AccessKeyIdOf(record) == grantKey, CancellationToken.None)) kept++;
        return kept;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return buffer.ToArray();
    }
}
