using System.Text;
using System.Text.Json.Nodes;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence.Rules;

namespace BreakGlass.Tests.Evidence;

public sealed class SeverityRulesTests
{
    private static readonly SeverityRules Rules = SeverityRules.Default;

    [Theory]
    [InlineData("cloudtrail-stop-logging", "detection.cloudtrail-tampering")]
    [InlineData("cloudtrail-put-event-selectors", "detection.cloudtrail-tampering")]
    [InlineData("guardduty-delete-detector", "detection.guardduty-tampering")]
    [InlineData("guardduty-update-detector-disable", "detection.guardduty-disabled")]
    [InlineData("securityhub-disable", "detection.securityhub-tampering")]
    [InlineData("config-stop-recorder", "detection.config-tampering")]
    [InlineData("config-delete-delivery-channel", "detection.config-tampering")]
    [InlineData("iam-create-access-key", "iam.change")]
    [InlineData("iam-create-login-profile", "iam.change")]
    [InlineData("iam-update-assume-role-policy", "iam.change")]
    [InlineData("iam-attach-role-policy", "iam.change")]
    [InlineData("iam-delete-role-policy-breakglass", "iam.change")]
    [InlineData("kms-schedule-key-deletion", "kms.key-destruction-or-access")]
    [InlineData("kms-disable-key", "kms.key-destruction-or-access")]
    [InlineData("kms-put-key-policy", "kms.key-destruction-or-access")]
    [InlineData("organizations-leave", "organizations.change")]
    [InlineData("s3-put-bucket-policy", "exposure.s3-access-policy")]
    [InlineData("s3-put-bucket-acl", "exposure.s3-access-policy")]
    [InlineData("s3-delete-bucket-public-access-block", "exposure.s3-access-policy")]
    [InlineData("ec2-authorize-ingress-world", "exposure.world-open-ingress")]
    [InlineData("ec2-authorize-ingress-world-ipv6", "exposure.world-open-ingress")]
    public void SensitiveCallsAreCritical(string fixture, string ruleId)
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record(fixture));

        Assert.Equal(Severity.Critical, classification.Severity);
        Assert.Equal(ruleId, classification.RuleId);
        Assert.Equal(EventFlags.None, classification.Flags & ~EventFlags.Persistence);
        Assert.NotEmpty(classification.Reasons[0]);
    }

    [Theory]
    [InlineData("iam-create-access-key", "Creates lasting access: a new IAM principal or credential")]
    [InlineData("iam-create-login-profile", "Creates lasting access: a new IAM principal or credential")]
    [InlineData("iam-update-assume-role-policy", "Creates lasting access: changes a role's trust")]
    [InlineData("iam-attach-role-policy", "Creates lasting access: changes a role's trust")]
    [InlineData("ec2-authorize-ingress-world", "Creates lasting access: opens a security group")]
    [InlineData("ec2-authorize-ingress-world-ipv6", "Creates lasting access: opens a security group")]
    [InlineData("s3-put-bucket-policy", "Creates lasting access: a bucket policy that allows everyone")]
    [InlineData("s3-put-bucket-acl", "Creates lasting access: an ACL that grants everyone")]
    [InlineData("kms-put-key-policy", "Creates lasting access: a KMS key policy")]
    public void CallsThatCreateLastingAccessAreFlaggedPersistence(string fixture, string reason)
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record(fixture));

        Assert.True(classification.Flags.HasFlag(EventFlags.Persistence));
        Assert.Equal(Severity.Critical, classification.Severity);
        Assert.Contains(classification.Reasons, candidate => candidate.StartsWith(reason, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ec2-authorize-ingress-office")]
    [InlineData("s3-delete-bucket-public-access-block")]
    [InlineData("iam-delete-role-policy-breakglass")]
    [InlineData("sts-assume-role")]
    [InlineData("ec2-describe-instances")]
    [InlineData("kms-disable-key")]
    [InlineData("cloudtrail-stop-logging")]
    public void CallsThatCreateNoLastingAccessAreNotFlaggedPersistence(string fixture)
    {
        Assert.False(Rules.Classify(CloudTrailFixtures.Record(fixture)).Flags.HasFlag(EventFlags.Persistence));
    }

    [Fact]
    public void ABucketPolicyForNamedPrincipalsIsNotPersistence()
    {
        var node = CloudTrailFixtures.Node("s3-put-bucket-policy");
        node["requestParameters"]!["bucketPolicy"]!["Statement"]![0]!["Principal"] = JsonNode.Parse("""{"AWS":"arn:aws:iam::111122223333:role/Reader"}""");

        Assert.False(Rules.Classify(CloudTrailRecord.Parse(node.ToJsonString())).Flags.HasFlag(EventFlags.Persistence));
    }

    [Fact]
    public void AFailedCallThatWouldHaveCreatedAccessIsADenialNotPersistence()
    {
        var node = CloudTrailFixtures.Node("iam-create-access-key");
        node["errorCode"] = "AccessDenied";
        node["errorMessage"] = "User is not authorized to perform: iam:CreateAccessKey";

        var classification = Rules.Classify(CloudTrailRecord.Parse(node.ToJsonString()));

        Assert.Equal(EventFlags.Error | EventFlags.AccessDenied, classification.Flags);
    }

    [Fact]
    public void HandingARoleToAnInstanceIsPassRolePersistenceRaisedToHigh()
    {
        var node = CloudTrailFixtures.Node("ec2-run-instances-invalid");
        node.Remove("errorCode");
        node.Remove("errorMessage");
        node["requestParameters"]!["iamInstanceProfile"] = JsonNode.Parse("""{"arn":"arn:aws:iam::111122223333:instance-profile/admin"}""");
        var withoutRole = CloudTrailFixtures.Node("ec2-run-instances-invalid");
        withoutRole.Remove("errorCode");
        withoutRole.Remove("errorMessage");

        var classification = Rules.Classify(CloudTrailRecord.Parse(node.ToJsonString()));

        Assert.Equal(EventFlags.Persistence, classification.Flags);
        Assert.Equal(Severity.High, classification.Severity);
        Assert.Contains(classification.Reasons, reason => reason.Contains("iam:PassRole", StringComparison.Ordinal));
        Assert.False(Rules.Classify(CloudTrailRecord.Parse(withoutRole.ToJsonString())).Flags.HasFlag(EventFlags.Persistence));
    }

    [Fact]
    public void APersistenceRuleThatMatchesEverythingIsRejected()
    {
        const string json = """
            {
              "version": 1,
              "failures": { "reason": "failed", "accessDeniedErrorCodes": ["*AccessDenied*"], "accessDeniedReason": "denied", "accessDeniedMinimumSeverity": "High",
                            "deniedReadReason": "denied read" },
              "breakGlassRole": { "parameterNames": ["roleName"], "reason": "own role" },
              "afterEnd": { "acceptedReason": "accepted after end", "acceptedSeverity": "Critical", "refusedReason": "refused after end" },
              "persistence": [ { "id": "everything", "severity": "High", "reason": "all" } ],
              "rules": [ { "id": "all", "severity": "Info", "reason": "everything" } ]
            }
            """;

        var error = Assert.Throws<InvalidDataException>(() => SeverityRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains("would flag every event", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("guardduty-update-detector-frequency", "mutating")]
    [InlineData("ec2-authorize-ingress-office", "mutating")]
    [InlineData("ec2-create-tags", "mutating")]
    [InlineData("ec2-terminate-instances", "mutating.delete")]
    [InlineData("sts-assume-role", "credentials.new-session")]
    public void OtherChangesAreHigh(string fixture, string ruleId)
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record(fixture));

        Assert.Equal(Severity.High, classification.Severity);
        Assert.Equal(ruleId, classification.RuleId);
    }

    [Theory]
    [InlineData("ec2-describe-instances")]
    [InlineData("s3-list-buckets")]
    public void SuccessfulReadsAreInfo(string fixture)
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record(fixture));

        Assert.Equal(Severity.Info, classification.Severity);
        Assert.Equal("read-only", classification.RuleId);
        Assert.Equal(EventFlags.None, classification.Flags);
    }

    [Theory]
    [InlineData("ec2-describe-instances-denied", "Client.UnauthorizedOperation")]
    [InlineData("kms-decrypt-denied", "AccessDeniedException")]
    public void AccessDenialsAreFlaggedAndRaisedToHigh(string fixture, string errorCode)
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record(fixture));

        Assert.Equal(Severity.High, classification.Severity);
        Assert.Equal("read-only", classification.RuleId);
        Assert.Equal(EventFlags.Error | EventFlags.AccessDenied, classification.Flags);
        Assert.Contains(classification.Reasons, reason => reason.Contains(errorCode, StringComparison.Ordinal));
    }

    [Fact]
    public void S3AccessDeniedIsRecognisedByItsBareCode()
    {
        var node = CloudTrailFixtures.Node("s3-list-buckets");
        node["errorCode"] = "AccessDenied";
        node["errorMessage"] = "Access Denied";

        var classification = Rules.Classify(CloudTrailRecord.Parse(node.ToJsonString()));

        Assert.Equal(EventFlags.Error | EventFlags.AccessDenied, classification.Flags);
    }

    [Fact]
    public void OtherFailuresAreFlaggedWithoutChangingSeverity()
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record("ec2-run-instances-invalid"));

        Assert.Equal(Severity.High, classification.Severity);
        Assert.Equal(EventFlags.Error, classification.Flags);
        Assert.Contains(classification.Reasons, reason => reason.Contains("Client.InvalidParameterValue", StringComparison.Ordinal));
    }

    [Fact]
    public void ChangingTheBreakGlassRoleItselfIsMarked()
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record("iam-delete-role-policy-breakglass"), breakGlassRoleName: "BreakGlassAdmin");

        Assert.Equal(Severity.Critical, classification.Severity);
        Assert.True(classification.Flags.HasFlag(EventFlags.TargetsBreakGlassRole));
        Assert.Contains(classification.Reasons, reason => reason.Contains("break-glass role", StringComparison.Ordinal));
    }

    [Fact]
    public void RoleNamesMatchRegardlessOfCaseAsIamDoes()
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record("iam-get-role-breakglass"), breakGlassRoleName: "BreakGlassAdmin");

        Assert.Equal(Severity.Info, classification.Severity);
        Assert.Equal(EventFlags.TargetsBreakGlassRole, classification.Flags);
    }

    [Fact]
    public void ChangingAnotherRoleIsNotMarkedAsTheBreakGlassRole()
    {
        var classification = Rules.Classify(CloudTrailFixtures.Record("iam-attach-role-policy"), breakGlassRoleName: "BreakGlassAdmin");

        Assert.False(classification.Flags.HasFlag(EventFlags.TargetsBreakGlassRole));
    }

    [Fact]
    public void AMutatingCallInferredFromItsNameIsHigh()
    {
        var node = CloudTrailFixtures.Node("ec2-create-tags");
        node.Remove("readOnly");

        var classification = Rules.Classify(CloudTrailRecord.Parse(node.ToJsonString()));

        Assert.Equal(Severity.High, classification.Severity);
    }

    [Fact]
    public void TheShippedRulesAreVersionOne()
    {
        Assert.Equal(1, Rules.Version);
    }

    [Fact]
    public void ARulesFileWithoutACatchAllIsRejected()
    {
        const string json = """
            {
              "version": 1,
              "failures": { "reason": "failed", "accessDeniedErrorCodes": ["*AccessDenied*"], "accessDeniedReason": "denied", "accessDeniedMinimumSeverity": "High",
                            "deniedReadReason": "denied read" },
              "breakGlassRole": { "parameterNames": ["roleName"], "reason": "own role" },
              "afterEnd": { "acceptedReason": "accepted after end", "acceptedSeverity": "Critical", "refusedReason": "refused after end" },
              "persistence": [],
              "rules": [ { "id": "deletes", "severity": "High", "reason": "deletes", "eventNames": ["Delete*"] } ]
            }
            """;

        var error = Assert.Throws<InvalidDataException>(() => SeverityRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains("must match every event", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"severity\": \"Severe\"")]
    [InlineData("\"severity\": \"High\", \"eventNamez\": [\"Delete*\"]")]
    public void ARulesFileWithAnUnknownSeverityOrMemberIsRejected(string severityAndExtra)
    {
        var json = $$"""
            {
              "version": 1,
              "failures": { "reason": "failed", "accessDeniedErrorCodes": ["*AccessDenied*"], "accessDeniedReason": "denied", "accessDeniedMinimumSeverity": "High",
                            "deniedReadReason": "denied read" },
              "breakGlassRole": { "parameterNames": ["roleName"], "reason": "own role" },
              "afterEnd": { "acceptedReason": "accepted after end", "acceptedSeverity": "Critical", "refusedReason": "refused after end" },
              "persistence": [],
              "rules": [ { "id": "all", {{severityAndExtra}}, "reason": "everything" } ]
            }
            """;

        Assert.Throws<InvalidDataException>(() => SeverityRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
    }
}
