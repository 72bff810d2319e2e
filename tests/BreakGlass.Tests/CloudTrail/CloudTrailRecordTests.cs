using System.Text.Json;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Tests.Evidence;

namespace BreakGlass.Tests.CloudTrail;

public sealed class CloudTrailRecordTests
{
    [Fact]
    public void ARecordKeepsWhatRulesAndIndexesNeed()
    {
        var record = CloudTrailFixtures.Record("kms-schedule-key-deletion");

        Assert.Equal("kms.amazonaws.com", record.EventSource);
        Assert.Equal("ScheduleKeyDeletion", record.EventName);
        Assert.Equal("us-east-1", record.AwsRegion);
        Assert.Equal("198.51.100.23", record.SourceIpAddress);
        Assert.Equal(CloudTrailFixtures.SessionAccessKeyId, record.AccessKeyId);
        Assert.False(record.ReadOnly);
        Assert.Null(record.ErrorCode);
        Assert.Equal(TimeSpan.Zero, record.EventTime.Offset);
        Assert.Equal(7, record.RequestParameters!.Value.GetProperty("pendingWindowInDays").GetInt32());
        var resource = Assert.Single(record.Resources);
        Assert.Equal("AWS::KMS::Key", resource.Type);
        Assert.StartsWith("arn:aws:kms:", resource.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRawRecordSurvivesItsSourceDocument()
    {
        var text = CloudTrailFixtures.Text("ec2-describe-instances-denied");
        CloudTrailRecord record;
        using (var document = JsonDocument.Parse(text))
        {
            record = CloudTrailRecord.FromJson(document.RootElement);
        }

        Assert.Equal("Client.UnauthorizedOperation", record.ErrorCode);
        Assert.Equal(record.EventId, record.Raw.GetProperty("eventID").GetString());
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(text).RootElement, record.Raw));
    }

    [Theory]
    [InlineData("GetObject", true)]
    [InlineData("ListBuckets", true)]
    [InlineData("DescribeInstances", true)]
    [InlineData("HeadObject", true)]
    [InlineData("LookupEvents", true)]
    [InlineData("PutObject", false)]
    [InlineData("DeleteTrail", false)]
    [InlineData("GenerateDataKey", false)]
    public void AMissingReadOnlyFollowsTheActionName(string eventName, bool readOnly)
    {
        var node = CloudTrailFixtures.Node("s3-list-buckets");
        node.Remove("readOnly");
        node["eventName"] = eventName;

        Assert.Equal(readOnly, CloudTrailRecord.Parse(node.ToJsonString()).ReadOnly);
    }

    [Fact]
    public void AnExplicitReadOnlyWinsOverTheName()
    {
        var node = CloudTrailFixtures.Node("sts-assume-role");

        Assert.True(CloudTrailRecord.Parse(node.ToJsonString()).ReadOnly);
    }

    [Theory]
    [InlineData("eventID")]
    [InlineData("eventTime")]
    [InlineData("eventSource")]
    [InlineData("eventName")]
    public void ARecordWithoutAnIdentifyingMemberIsRejected(string member)
    {
        var node = CloudTrailFixtures.Node("s3-list-buckets");
        node.Remove(member);

        Assert.Throws<JsonException>(() => CloudTrailRecord.Parse(node.ToJsonString()));
    }

    [Fact]
    public void AnUnreadableEventTimeIsRejected()
    {
        var node = CloudTrailFixtures.Node("s3-list-buckets");
        node["eventTime"] = "yesterday";

        Assert.Throws<JsonException>(() => CloudTrailRecord.Parse(node.ToJsonString()));
    }
}
