using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence.S3Logs;

namespace BreakGlass.Tests.Evidence;

public sealed class CloudTrailLogFileTests
{
    private static readonly string[] AllFixtures =
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Evidence", "Fixtures"), "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal)
            .ToArray()!;

    [Theory]
    [InlineData(16)]
    [InlineData(1024)]
    [InlineData(64 * 1024)]
    public async Task EveryRecordIsReadWhateverTheBufferSize(int initialBufferSize)
    {
        var file = LogFileOf(AllFixtures.Select(CloudTrailFixtures.Node));

        var records = await ReadAllAsync(file, _ => true, initialBufferSize);

        Assert.Equal(
            AllFixtures.Select(name => CloudTrailFixtures.Record(name).EventId),
            records.Select(record => record.EventId));
    }

    [Fact]
    public async Task OnlyRecordsTheFilterKeepsAreBuilt()
    {
        var file = LogFileOf(AllFixtures.Select(CloudTrailFixtures.Node));

        var records = await ReadAllAsync(file, record => record.GetProperty("eventSource").GetString() == "kms.amazonaws.com", 256);

        Assert.Equal(4, records.Count);
        Assert.All(records, record => Assert.Equal("kms.amazonaws.com", record.EventSource));
    }

    [Fact]
    public async Task MembersBeforeAndAfterRecordsAreSkipped()
    {
        var records = CloudTrailFixtures.Text("s3-list-buckets");
        var file = Encoding.UTF8.GetBytes($$"""{"Digest":{"nested":[1,{"a":"b"}]},"Records":[{{records}}],"Trailer":"x"}""");

        var read = await ReadAllAsync(file, _ => true, 16);

        Assert.Equal("ListBuckets", Assert.Single(read).EventName);
    }

    [Fact]
    public async Task AnEmptyRecordsArrayYieldsNothing()
    {
        Assert.Empty(await ReadAllAsync("""{"Records":[]}"""u8.ToArray(), _ => true, 16));
    }

    [Fact]
    public async Task ATruncatedFileIsAnError()
    {
        var whole = LogFileOf(AllFixtures.Take(3).Select(CloudTrailFixtures.Node));

        await Assert.ThrowsAnyAsync<JsonException>(() => ReadAllAsync(whole[..(whole.Length - 10)], _ => true, 1024));
    }

    [Fact]
    public async Task AFileThatIsNotALogFileIsAnError()
    {
        await Assert.ThrowsAnyAsync<JsonException>(() => ReadAllAsync("""[{"eventID":"x"}]"""u8.ToArray(), _ => true, 1024));
    }

    internal static byte[] LogFileOf(IEnumerable<JsonObject> records) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = new JsonArray(records.Select(JsonNode (record) => record).ToArray()) }.ToJsonString());

    private static async Task<List<CloudTrailRecord>> ReadAllAsync(byte[] file, Func<JsonElement, bool> keep, int initialBufferSize)
    {
        var records = new List<CloudTrailRecord>();
        await foreach (var record in CloudTrailLogFile.ReadAsync(new MemoryStream(file), keep, CancellationToken.None, initialBufferSize))
        {
            records.Add(record);
        }
        return records;
    }
}
