using System.Text;
using System.Text.Json.Nodes;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence;
using BreakGlass.Evidence.Rules;

namespace BreakGlass.Tests.Evidence;

/// <summary>What an event touched, what it did to it, and calls made after the grant ended, by the shipped rules file.</summary>
public sealed class EvidenceNamingTests
{
    private static readonly SeverityRules Rules = SeverityRules.Default;

    [Theory]
    [InlineData("iam-create-access-key", "AWS::IAM::User", "ci-deployer")]
    [InlineData("ec2-terminate-instances", "AWS::EC2::Instance", "i-0123456789abcdef0")]
    [InlineData("cloudtrail-stop-logging", "AWS::CloudTrail::Trail", "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-audit-trail")]
    public void AnEventWithoutCloudTrailResourcesIsNamedByItsRequestParameters(string fixture, string type, string name)
    {
        Assert.Contains(new TouchedResource(type, name), Rules.Resources.Touched(CloudTrailFixtures.Record(fixture)));
    }

    [Fact]
    public void ABackdoorUserIsNamedAndCountsAsCreated()
    {
        var node = CloudTrailFixtures.Node("iam-create-access-key");
        node["eventName"] = "CreateUser";
        node["requestParameters"] = new JsonObject { ["userName"] = "backdoor" };
        var record = CloudTrailRecord.Parse(node.ToJsonString());

        Assert.Equal([new TouchedResource("AWS::IAM::User", "backdoor")], Rules.Resources.Touched(record));
        Assert.Equal(ChangeKind.Created, Rules.Resources.ChangeOf(record));
        Assert.Equal("AWS::IAM::User backdoor", Rules.Resources.Touched(record)[0].ToString());
    }

    [Fact]
    public void AnInlineRolePolicyNamesBothTheRoleAndThePolicy()
    {
        var node = CloudTrailFixtures.Node("iam-create-access-key");
        node["eventName"] = "PutRolePolicy";
        node["requestParameters"] = new JsonObject { ["roleName"] = "prod-readonly", ["policyName"] = "hotfix", ["policyDocument"] = "{}" };

        Assert.Equal([new TouchedResource("AWS::IAM::Role", "prod-readonly"), new TouchedResource("AWS::IAM::RolePolicy", "prod-readonly/hotfix")],
            Rules.Resources.Touched(CloudTrailRecord.Parse(node.ToJsonString())).OrderBy(resource => resource.ToString(), StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void AnS3ObjectIsNamedBucketSlashKeyAndItsBucketToo()
    {
        var node = CloudTrailFixtures.Node("s3-list-buckets");
        node["eventName"] = "PutObject";
        node["readOnly"] = false;
        node["requestParameters"] = new JsonObject { ["bucketName"] = "incident-scratch", ["key"] = "notes/restart.txt" };

        Assert.Equal([new TouchedResource("AWS::S3::Bucket", "incident-scratch"), new TouchedResource("AWS::S3::Object", "incident-scratch/notes/restart.txt")],
            Rules.Resources.Touched(CloudTrailRecord.Parse(node.ToJsonString())).OrderBy(resource => resource.ToString(), StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void CloudTrailsOwnResourcesWinOverRequestParameters()
    {
        var node = CloudTrailFixtures.Node("iam-create-access-key");
        node["resources"] = new JsonArray(new JsonObject { ["ARN"] = "arn:aws:iam::111122223333:user/ci-deployer", ["type"] = "AWS::IAM::User" },
            new JsonObject { ["ARN"] = "arn:aws:s3:::x" });

        Assert.Equal([new TouchedResource("AWS::IAM::User", "arn:aws:iam::111122223333:user/ci-deployer"), new TouchedResource(ResourceNamer.UnknownType, "arn:aws:s3:::x")],
            Rules.Resources.Touched(CloudTrailRecord.Parse(node.ToJsonString())));
    }

    [Theory]
    [InlineData("ec2-terminate-instances", ChangeKind.Deleted)]
    [InlineData("iam-attach-role-policy", ChangeKind.Changed)]
    [InlineData("ec2-describe-instances", null)]
    [InlineData("ec2-describe-instances-denied", null)]
    [InlineData("ec2-run-instances-invalid", null)]
    public void OnlyAcceptedChangesCreateChangeOrDelete(string fixture, string? change)
    {
        Assert.Equal(change, Rules.Resources.ChangeOf(CloudTrailFixtures.Record(fixture)));
    }

    [Fact]
    public void ADeniedReadIsDeniedNotAReadWithoutChanges()
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record("ec2-describe-instances-denied"));

        Assert.DoesNotContain(classification.Reasons, reason => reason.Contains("Reads without changing anything", StringComparison.Ordinal));
        Assert.StartsWith("Denied: a read", Assert.Single(classification.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void ACallAcceptedAfterTheGrantEndedIsCriticalAndMarkedAfterEnd()
    {
        var read = CloudTrailFixtures.Record("s3-list-buckets");

        var classification = Rules.Classify(read, grantEndedAt: read.EventTime.AddSeconds(-30));

        Assert.True(classification.Flags.HasFlag(EventFlags.AfterEnd));
        Assert.Equal(Severity.Critical, classification.Severity);
        Assert.StartsWith("Accepted after the grant ended", classification.Reasons[0], StringComparison.Ordinal);
        Assert.Equal(["after-end"], EvidenceSeverity.FlagNames(classification.Flags));
    }

    [Fact]
    public void ACallRefusedAfterTheGrantEndedIsProofTheCutOffHeld()
    {
        var refused = CloudTrailFixtures.Record("ec2-describe-instances-denied");

        var classification = Rules.Classify(refused, grantEndedAt: refused.EventTime.AddSeconds(-30));

        Assert.True(classification.Flags.HasFlag(EventFlags.AfterEnd | EventFlags.AccessDenied));
        Assert.Equal(Severity.High, classification.Severity);
        Assert.StartsWith("Refused after the grant ended: the cut-off held", classification.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void ACallBeforeTheEndIsNotAfterEnd()
    {
        var read = CloudTrailFixtures.Record("s3-list-buckets");

        var classification = Rules.Classify(read, grantEndedAt: read.EventTime);

        Assert.False(classification.Flags.HasFlag(EventFlags.AfterEnd));
        Assert.Equal(Severity.Info, classification.Severity);
    }

    [Fact]
    public void TheSummaryPutsAfterEndAttemptsAndChangesByResourceFirstInLine()
    {
        EvidenceEvent[] events =
        [
            Event("s3-list-buckets", afterEnd: true),
            Event("ec2-describe-instances-denied", afterEnd: true),
            Event("ec2-terminate-instances", afterEnd: false),
            Event("iam-create-access-key", afterEnd: false),
        ];

        var summary = EvidenceSummaries.Of(events);

        Assert.Equal((1, 1), (summary.AfterEnd.Accepted, summary.AfterEnd.Refused));
        Assert.Equal(2, summary.AfterEnd.Items.Count);
        Assert.Contains(summary.AfterEnd.Items, item => item.StartsWith("accepted ", StringComparison.Ordinal) && item.Contains("ListBuckets", StringComparison.Ordinal));
        Assert.Equal(
            [(ChangeKind.Created, "AWS::IAM::User", "ci-deployer"), (ChangeKind.Deleted, "AWS::EC2::Instance", "i-0123456789abcdef0")],
            summary.Changes.Where(change => change.Type is "AWS::IAM::User" or "AWS::EC2::Instance").Select(change => (change.Change, change.Type, change.Name)));
    }

    [Fact]
    public void ARulesFileWithoutTheAfterEndSectionIsRejected()
    {
        var json = JsonNode.Parse(DefaultRulesText())!.AsObject();
        json.Remove("afterEnd");

        var error = Assert.Throws<InvalidDataException>(() => SeverityRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString()))));
        Assert.Contains("afterEnd", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResourceRuleWithoutParametersIsRejected()
    {
        var json = JsonNode.Parse(DefaultRulesText())!.AsObject();
        json["resources"]!.AsArray().Add(JsonNode.Parse("""{ "type": "AWS::X::Y", "eventSources": ["x.amazonaws.com"], "parameters": [] }"""));

        var error = Assert.Throws<InvalidDataException>(() => SeverityRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString()))));
        Assert.Contains("AWS::X::Y", error.Message, StringComparison.Ordinal);
    }

    private static EvidenceEvent Event(string fixture, bool afterEnd)
    {
        var record = CloudTrailFixtures.Record(fixture);
        var classification = Rules.Classify(record, grantEndedAt: afterEnd ? record.EventTime.AddSeconds(-1) : null);
        var flags = EvidenceSeverity.FlagNames(classification.Flags);
        return new EvidenceEvent(record.EventId, record.EventTime, record.EventSource, record.EventName, record.ReadOnly,
            EvidenceSeverity.Name(classification.Severity), classification.RuleId, classification.Reasons, flags, record.ErrorCode,
            EventOutcome.Of(record.ErrorCode, flags), Rules.Resources.Touched(record), Rules.Resources.ChangeOf(record), record.AwsRegion,
            record.SourceIpAddress, record.UserAgent, record.AccessKeyId, [], record.Raw);
    }

    private static string DefaultRulesText()
    {
        using var stream = typeof(SeverityRules).Assembly.GetManifestResourceStream("BreakGlass.Evidence.Rules.severity-rules.v1.json")!;
        return new StreamReader(stream).ReadToEnd();
    }
}
