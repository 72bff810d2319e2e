using System.IO.Compression;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence.S3Logs;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Evidence;

public sealed class S3CloudTrailLogSourceTests(MotoServer moto) : IClassFixture<MotoServer>
{
    private const string Account = "111122223333";
    private const string OtherPrincipalKey = "AKIA3EXAMPLEOTHERUSER";

    private static readonly DateTimeOffset WindowStart = new(2025, 3, 14, 23, 40, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowEnd = new(2025, 3, 15, 0, 20, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadsTheGrantsRecordsAcrossDaysAndRegionsAndNothingElse()
    {
        var bucket = $"trail-{Guid.NewGuid():N}";
        var (grantKey, refreshedKey) = ($"ASIA{Guid.NewGuid():N}"[..20].ToUpperInvariant(), $"ASIA{Guid.NewGuid():N}"[..20].ToUpperInvariant());
        using var s3 = await CreateBucketAsync(bucket);
        var location = new S3TrailLocation(bucket, Account, ["us-east-1", "eu-west-1"]);

        await PutLogFileAsync(s3, location, "us-east-1", "20250314T2345Z",
            Event("iam-create-access-key", grantKey, "2025-03-14T23:41:07Z", "in-1"),
            Event("s3-list-buckets", OtherPrincipalKey, "2025-03-14T23:42:00Z", "other-1"),
            Event("ec2-describe-instances", grantKey, "2025-03-14T23:30:00Z", "before-window"));
        await PutLogFileAsync(s3, location, "us-east-1", "20250315T0005Z",
            Event("kms-disable-key", refreshedKey, "2025-03-15T00:01:30Z", "in-2"),
            Event("kms-disable-key", OtherPrincipalKey, "2025-03-15T00:02:00Z", "other-2"));
        await PutLogFileAsync(s3, location, "us-east-1", "20250315T0025Z",
            Event("ec2-terminate-instances", grantKey, "2025-03-15T00:19:59Z", "in-3"),
            Event("ec2-create-tags", grantKey, "2025-03-15T00:22:00Z", "after-window"));
        await PutLogFileAsync(s3, location, "eu-west-1", "20250314T2355Z",
            Event("s3-put-bucket-policy", grantKey, "2025-03-14T23:50:00Z", "in-eu"));
        await PutLogFileAsync(s3, new S3TrailLocation(bucket, "444455556666", ["us-east-1"]), "us-east-1", "20250314T2345Z",
            Event("iam-create-access-key", grantKey, "2025-03-14T23:41:00Z", "other-account"));

        var records = await ReadAllAsync(S3CloudTrailLogSource.Create(Environment(), location), [grantKey, refreshedKey]);

        Assert.Equal(["in-1", "in-2", "in-3", "in-eu"], records.Select(record => record.EventId).Order(StringComparer.Ordinal));
        Assert.Contains(records, record => record.AccessKeyId == refreshedKey && record.EventName == "DisableKey");
        Assert.Equal("eu-west-1", records.Single(record => record.EventId == "in-eu").AwsRegion);
    }

    [Fact]
    public async Task AnOrganizationTrailIsReadInTheFolderOfTheSessionsOwnAccount()
    {
        const string member = "222233334444";
        var bucket = $"trail-{Guid.NewGuid():N}";
        var grantKey = $"ASIA{Guid.NewGuid():N}"[..20].ToUpperInvariant();
        using var s3 = await CreateBucketAsync(bucket);
        var location = new S3TrailLocation(bucket, null, ["us-east-1"], OrganizationId: "o-a1b2c3d4e5");
        await PutLogFileAsync(s3, location, member, "us-east-1", "20250314T2350Z",
            Event("iam-create-access-key", grantKey, "2025-03-14T23:41:07Z", "member-event"));
        await PutLogFileAsync(s3, location, Account, "us-east-1", "20250314T2350Z",
            Event("iam-create-access-key", grantKey, "2025-03-14T23:42:07Z", "other-account-event"));

        var memberRecords = await ReadAllAsync(new S3CloudTrailLogSource(s3, location), [grantKey], member);
        var otherRecords = await ReadAllAsync(new S3CloudTrailLogSource(s3, location), [grantKey], Account);

        Assert.Equal("member-event", Assert.Single(memberRecords).EventId);
        Assert.Equal("other-account-event", Assert.Single(otherRecords).EventId);
    }

    [Fact]
    public async Task AFileDeliveredBeforeTheWindowIsNotRead()
    {
        var bucket = $"trail-{Guid.NewGuid():N}";
        var grantKey = $"ASIA{Guid.NewGuid():N}"[..20].ToUpperInvariant();
        using var s3 = await CreateBucketAsync(bucket);
        var location = new S3TrailLocation(bucket, Account, ["us-east-1"], KeyPrefix: "audit/", OrganizationId: "o-a1b2c3d4e5");
        var dayPrefix = location.DayPrefix(Account, "us-east-1", new DateOnly(2025, 3, 14));
        // Not gzip: reading it would fail, so passing proves it was skipped by its delivery time.
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = $"{dayPrefix}{Account}_CloudTrail_us-east-1_20250314T2338Z_EarlierDelivery1.json.gz",
            ContentBody = "not a log file",
        });
        await PutLogFileAsync(s3, location, "us-east-1", "20250314T2350Z",
            Event("iam-create-access-key", grantKey, "2025-03-14T23:41:07Z", "in-1"));

        var records = await ReadAllAsync(new S3CloudTrailLogSource(s3, location), [grantKey]);

        Assert.Equal("in-1", Assert.Single(records).EventId);
        Assert.StartsWith("audit/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2025/03/14/", dayPrefix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALargeFileMixingPrincipalsYieldsOnlyTheGrantsRecords()
    {
        var bucket = $"trail-{Guid.NewGuid():N}";
        var grantKey = $"ASIA{Guid.NewGuid():N}"[..20].ToUpperInvariant();
        using var s3 = await CreateBucketAsync(bucket);
        var location = new S3TrailLocation(bucket, Account, ["us-east-1"]);
        // One call a second from 23:40 to 00:30, every tenth by the grant: 241 of them fall in the window up to 00:20.
        var events = Enumerable.Range(0, 3000).Select(i =>
        {
            var node = Event(i % 3 == 0 ? "ec2-describe-instances" : "s3-list-buckets", i % 10 == 0 ? grantKey : OtherPrincipalKey,
                WindowStart.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), $"event-{i:D4}");
            node.Remove("readOnly");
            return node;
        }).ToArray();
        await PutLogFileAsync(s3, location, "us-east-1", "20250315T0035Z", events);

        var records = await ReadAllAsync(new S3CloudTrailLogSource(s3, location), [grantKey]);

        Assert.Equal(241, records.Count);
        Assert.All(records, record => Assert.Equal(grantKey, record.AccessKeyId));
        Assert.All(records, record => Assert.True(record.ReadOnly));
    }

    private AwsEnvironment Environment() =>
        new(new BasicAWSCredentials("testing", "testing"), RegionEndpoint.USEast1, moto.Endpoint);

    private async Task<IAmazonS3> CreateBucketAsync(string bucket)
    {
        var s3 = new AmazonS3Client(new BasicAWSCredentials("testing", "testing"),
            new AmazonS3Config { ServiceURL = moto.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync(bucket);
        return s3;
    }

    private static JsonObject Event(string fixture, string accessKeyId, string eventTime, string eventId)
    {
        var node = CloudTrailFixtures.Node(fixture);
        node["userIdentity"]!["accessKeyId"] = accessKeyId;
        node["eventTime"] = eventTime;
        node["eventID"] = eventId;
        return node;
    }

    internal static Task PutLogFileAsync(IAmazonS3 s3, S3TrailLocation location, string region, string delivered, params JsonObject[] records) =>
        PutLogFileAsync(s3, location, location.AccountId!, region, delivered, records);

    /// <summary>A log file in <paramref name="accountId"/>'s folder (an organization trail has one per member account).</summary>
    internal static async Task PutLogFileAsync(IAmazonS3 s3, S3TrailLocation location, string accountId, string region, string delivered, params JsonObject[] records)
    {
        var day = DateOnly.ParseExact(delivered[..8], "yyyyMMdd");
        foreach (var record in records)
        {
            record["awsRegion"] = region;
        }
        var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(CloudTrailLogFileTests.LogFileOf(records));
        }
        gzipped.Position = 0;
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = location.Bucket,
            Key = $"{location.DayPrefix(accountId, region, day)}{accountId}_CloudTrail_{region}_{delivered}_{Guid.NewGuid().ToString("N")[..16]}.json.gz",
            InputStream = gzipped,
            ContentType = "application/json",
        });
    }

    private static async Task<List<CloudTrailRecord>> ReadAllAsync(S3CloudTrailLogSource source, IReadOnlyCollection<string> keys, string sessionAccount = Account)
    {
        var records = new List<CloudTrailRecord>();
        await foreach (var record in source.ReadAsync(sessionAccount,
            candidate => CloudTrailRecord.AccessKeyIdOf(candidate) is { } key && keys.Contains(key), WindowStart, WindowEnd, CancellationToken.None))
        {
            records.Add(record);
        }
        return records;
    }
}
