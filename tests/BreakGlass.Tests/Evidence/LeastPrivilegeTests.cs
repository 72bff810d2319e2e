using System.Text;
using System.Text.Json.Nodes;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence;
using BreakGlass.Evidence.LeastPrivilege;
using BreakGlass.Evidence.Rules;

namespace BreakGlass.Tests.Evidence;

public sealed class LeastPrivilegeTests
{
    private const string RoleArn = "arn:aws:iam::111122223333:role/BreakGlassAdmin";
    private const string Bucket = "arn:aws:s3:::incident-logs";
    private const string Object = "arn:aws:s3:::incident-logs/2025/03/14/app.log";
    private const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private static readonly DateTimeOffset End = DateTimeOffset.Parse("2025-03-14T10:00:00Z");

    [Fact]
    public void TheSuggestionAllowsExactlyTheSessionsSuccessfulCallsBeforeTheEnd()
    {
        EvidenceEvent[] events =
        [
            Event("s3-list-buckets"),
            Event("ec2-describe-instances"),
            Event("ec2-describe-instances"),
            Event("iam-attach-role-policy"),
            Event("kms-disable-key"),
            Event("s3-list-buckets", record => Named(record, "ListObjectsV2", (Bucket, "AWS::S3::Bucket"))),
            Event("s3-list-buckets", record => Named(record, "HeadObject", (Object, "AWS::S3::Object"), (Bucket, "AWS::S3::Bucket"))),
            Event("s3-list-buckets", record => Named(record, "GetObject", (Object, "AWS::S3::Object"), (Bucket, "AWS::S3::Bucket"))),
            Event("s3-list-buckets", record => Named(record, "GetFunction20150331v2", source: "lambda.amazonaws.com")),
            Event("s3-list-buckets", record => Named(record, "GetCallerIdentity", source: "sts.amazonaws.com")),
            // Refused, failed, after the end, and by a session chained into another role: none of them is a need of the role.
            Event("ec2-describe-instances-denied"),
            Event("kms-decrypt-denied"),
            Event("ec2-run-instances-invalid"),
            Event("ec2-terminate-instances", time: "2025-03-14T10:05:00Z"),
            Event("ec2-create-tags", record => record["userIdentity"]!["arn"] = "arn:aws:sts::111122223333:assumed-role/data-pipeline/alice"),
        ];

        var suggestion = Suggest(events);

        Assert.Equal(new Dictionary<string, string[]>
        {
            ["ec2:DescribeInstances"] = ["*"],
            ["iam:AttachRolePolicy"] = ["*"],
            ["kms:DisableKey"] = [Key],
            ["lambda:GetFunction"] = ["*"],
            ["s3:GetObject"] = [Object],
            ["s3:ListAllMyBuckets"] = ["*"],
            ["s3:ListBucket"] = [Bucket],
        }, Allowed(suggestion.Policy!));
        Assert.Empty(IamPolicyGrammar.Problems(suggestion.Policy!));
        Assert.Equal(9, suggestion.BasedOnEvents);
        Assert.Equal(["Ec2", "Iam", "Kms", "Lambda", "S3Group1", "S3Group2", "S3Group3"], suggestion.Policy!.Statement.Select(s => s.Sid));
        Assert.Contains("3 refused or failed calls are left out: AWS did not carry them out.", suggestion.Notes);
        Assert.Contains("1 call made after the grant ended is left out: no role should need them.", suggestion.Notes);
        Assert.Contains(suggestion.Notes, note => note.StartsWith("1 call by another principal is left out", StringComparison.Ordinal));
        Assert.Contains(suggestion.Notes, note => note.StartsWith("1 call needs no permission", StringComparison.Ordinal));
        Assert.StartsWith("Suggestion, not a decision", suggestion.Label, StringComparison.Ordinal);
    }

    [Fact]
    public void ACallSignedWithTheGrantsKeyIsTheRolesWhateverItsArnSays()
    {
        var call = Event("ec2-create-tags", record => record["userIdentity"]!["arn"] = "arn:aws:sts::999999999999:assumed-role/Renamed/alice");

        Assert.Null(Suggest([call]).Policy);
        Assert.Equal(["ec2:CreateTags"], Allowed(LeastPrivilegeAdvisor.Default.Suggest([call], RoleArn, [call.AccessKeyId!], EvidenceCompleteness.Complete).Policy!).Keys);
    }

    [Fact]
    public void AnActionTouchingANamedResourceWithoutAnArnIsAllowedOnAnyResourceAndBucketsGetTheirArnFromTheirName()
    {
        var suggestion = Suggest([
            Event("s3-put-bucket-policy", record => record.Remove("resources")),
            Event("ec2-terminate-instances"),
            Event("sts-assume-role"),
        ]);

        var allowed = Allowed(suggestion.Policy!);
        Assert.Equal(["*"], allowed["ec2:TerminateInstances"]);
        Assert.Equal(["arn:aws:s3:::acme-model-weights"], allowed["s3:PutBucketPolicy"]);
        Assert.Equal(["arn:aws:iam::444455556666:role/ProdAdmin"], allowed["sts:AssumeRole"]);
    }

    [Fact]
    public void NoSuccessfulCallMeansNoPolicyAndPartialEvidenceSaysItMayGrow()
    {
        var suggestion = LeastPrivilegeAdvisor.Default.Suggest([Event("kms-decrypt-denied")], RoleArn, [], EvidenceCompleteness.Partial);

        Assert.Null(suggestion.Policy);
        Assert.Equal(0, suggestion.BasedOnEvents);
        Assert.Contains(suggestion.Notes, note => note.StartsWith("The evidence is not complete yet", StringComparison.Ordinal));
        Assert.Contains(suggestion.Notes, note => note.StartsWith("The session made no successful call", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOversizedPolicyCollapsesResourcesToAnyPerServiceFirstAndSaysSo()
    {
        var reads = Enumerable.Range(0, 200)
            .Select(index => Event("s3-list-buckets", record => Named(record, "GetObject", ($"arn:aws:s3:::incident-logs/part-{index:D4}.log", "AWS::S3::Object"))))
            .Append(Event("kms-disable-key"))
            .ToList();

        var suggestion = Suggest(reads);

        var allowed = Allowed(suggestion.Policy!);
        Assert.Equal(["*"], allowed["s3:GetObject"]);
        Assert.Equal([Key], allowed["kms:DisableKey"]);
        Assert.True(IamPolicyGrammar.Size(suggestion.Policy!) <= IamPolicyGrammar.ManagedPolicyMaxCharacters);
        Assert.Contains(suggestion.Notes, note => note.Contains("over IAM's limit of 6144", StringComparison.Ordinal));
        Assert.Contains("resources collapsed to \"*\" for s3.", suggestion.Notes);
    }

    [Fact]
    public void WhenCollapsingResourcesIsNotEnoughActionsCollapseToTheServiceThenToOneStatementThenNothing()
    {
        var calls = new[] { "DescribeInstances", "DescribeVolumes", "DescribeSnapshots", "DescribeVpcs", "DescribeSubnets" }
            .Select(name => Event("ec2-describe-instances", record => record["eventName"] = name))
            .Append(Event("iam-attach-role-policy"))
            .ToList();
        var exact = Suggest(calls).Policy!;

        var actions = LeastPrivilegeAdvisor.Default.Suggest(calls, RoleArn, [], EvidenceCompleteness.Complete, IamPolicyGrammar.Size(exact) - 1);
        Assert.Equal(["ec2:*", "iam:AttachRolePolicy"], Allowed(actions.Policy!).Keys);
        Assert.Contains("actions collapsed to service:* for ec2.", actions.Notes);

        var single = LeastPrivilegeAdvisor.Default.Suggest(calls, RoleArn, [], EvidenceCompleteness.Complete, 130);
        Assert.Equal(["ec2:*", "iam:*"], Assert.Single(single.Policy!.Statement).Action);
        Assert.Contains("every service's actions collapsed to service:* in one statement on \"*\".", single.Notes);

        var none = LeastPrivilegeAdvisor.Default.Suggest(calls, RoleArn, [], EvidenceCompleteness.Complete, 40);
        Assert.Null(none.Policy);
        Assert.Contains(none.Notes, note => note.StartsWith("No policy is suggested", StringComparison.Ordinal));
    }

    private static readonly Dictionary<string, (string Problem, PolicyDocument Policy)> MalformedDocuments = new()
    {
        ["old version"] = ("Version must be 2012-10-17", Policy(version: "2008-10-17")),
        ["no statement"] = ("Statement must hold at least one statement", new PolicyDocument(IamPolicyGrammar.Version, [])),
        ["deny"] = ("Effect must be Allow", Policy(statement: new PolicyStatement("S3", "Deny", ["s3:GetObject"], ["*"]))),
        ["upper-case service"] = ("is not an action", Policy(statement: new PolicyStatement("S3", "Allow", ["S3:GetObject"], ["*"]))),
        ["space in action"] = ("is not an action", Policy(statement: new PolicyStatement("S3", "Allow", ["s3:Get Object"], ["*"]))),
        ["bare star"] = ("is not an action", Policy(statement: new PolicyStatement("All", "Allow", ["*"], ["*"]))),
        ["no action"] = ("Action must name at least one action", Policy(statement: new PolicyStatement("S3", "Allow", [], ["*"]))),
        ["bucket name"] = ("is neither * nor an ARN", Policy(statement: new PolicyStatement("S3", "Allow", ["s3:GetObject"], ["incident-logs"]))),
        ["short arn"] = ("is neither * nor an ARN", Policy(statement: new PolicyStatement("S3", "Allow", ["s3:GetObject"], ["arn:aws:s3"]))),
        ["no resource"] = ("Resource must name at least one resource", Policy(statement: new PolicyStatement("S3", "Allow", ["s3:GetObject"], []))),
        ["sid with dash"] = ("Sid must be letters and digits only", Policy(statement: new PolicyStatement("S3-reads", "Allow", ["s3:GetObject"], ["*"]))),
        ["same sid twice"] = ("appears more than once", new PolicyDocument(IamPolicyGrammar.Version,
            [new PolicyStatement("S3", "Allow", ["s3:GetObject"], ["*"]), new PolicyStatement("S3", "Allow", ["s3:PutObject"], ["*"])])),
        ["too large"] = ("over the limit of 6144", Policy(statement: new PolicyStatement("S3", "Allow", ["s3:GetObject"],
            Enumerable.Range(0, 300).Select(index => $"arn:aws:s3:::incident-logs/part-{index:D4}.log").ToList()))),
    };

    public static TheoryData<string> Malformed => new(MalformedDocuments.Keys);

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TheGrammarRejectsAMalformedDocument(string name)
    {
        var (problem, policy) = MalformedDocuments[name];

        Assert.Contains(IamPolicyGrammar.Problems(policy), found => found.Contains(problem, StringComparison.Ordinal));
        Assert.Empty(IamPolicyGrammar.Problems(Policy()));
    }

    [Fact]
    public void TheDocumentIsSpeltAsIamSpellsIt()
    {
        var json = JsonNode.Parse(Policy().ToJson())!;

        Assert.Equal("2012-10-17", (string?)json["Version"]);
        Assert.Equal("Allow", (string?)json["Statement"]![0]!["Effect"]);
        Assert.Equal("arn:aws:s3:::incident-logs/a+b.log", (string?)json["Statement"]![0]!["Resource"]![0]);
        Assert.Contains("a+b.log", Policy().ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "version": 1, "servicePrefixes": {}, "eventNameSuffixes": {}, "arnTemplates": {}, "events": [ { "eventSource": "s3.amazonaws.com", "eventNames": ["ListObjectsV2"], "actions": ["s3:List Bucket"] } ] }""", "is not an IAM action")]
    [InlineData("""{ "version": 1, "servicePrefixes": {}, "eventNameSuffixes": {}, "arnTemplates": {}, "events": [ { "eventSource": "s3.amazonaws.com", "eventNames": [] } ] }""", "needs a source")]
    [InlineData("""{ "version": 1, "servicePrefixes": {}, "eventNameSuffixes": {}, "arnTemplates": { "AWS::S3::Bucket": "s3://{name}" }, "events": [] }""", "ARN template")]
    [InlineData("""{ "version": 2, "servicePrefixes": {}, "eventNameSuffixes": {}, "arnTemplates": {}, "events": [] }""", "version 2")]
    [InlineData("""{ "version": 1, "servicePrefixes": {}, "eventNameSuffixes": {}, "arnTemplates": {}, "events": [], "extra": 1 }""", "malformed")]
    public void ABrokenActionNamesFileIsRefused(string json, string problem)
    {
        var refused = Assert.Throws<InvalidDataException>(() => IamActionNames.Load(new MemoryStream(Encoding.UTF8.GetBytes(json))));
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3.amazonaws.com", "ListObjects", "s3:ListBucket")]
    [InlineData("s3.amazonaws.com", "HeadBucket", "s3:ListBucket")]
    [InlineData("s3.amazonaws.com", "HeadObject", "s3:GetObject")]
    [InlineData("s3.amazonaws.com", "GetBucketLocation", "s3:GetBucketLocation")]
    [InlineData("s3.amazonaws.com", "DeleteBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock")]
    [InlineData("monitoring.amazonaws.com", "GetMetricData", "cloudwatch:GetMetricData")]
    [InlineData("lambda.amazonaws.com", "UpdateFunctionCode20150331v2", "lambda:UpdateFunctionCode")]
    [InlineData("lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction")]
    [InlineData("apigateway.amazonaws.com", "GetRestApis", "apigateway:GET")]
    [InlineData("ec2.amazonaws.com", "RunInstances", "ec2:RunInstances")]
    public void EventNamesMapToTheActionsIamChecks(string source, string name, string action) =>
        Assert.Equal([action], IamActionNames.Default.For(source, name)!.Actions);

    private static LeastPrivilegeSuggestion Suggest(IReadOnlyList<EvidenceEvent> events) =>
        LeastPrivilegeAdvisor.Default.Suggest(events, RoleArn, [], EvidenceCompleteness.Complete);

    /// <summary>Each allowed action and the resources it is allowed on, whichever statement holds it.</summary>
    private static Dictionary<string, string[]> Allowed(PolicyDocument policy) =>
        policy.Statement.SelectMany(statement => statement.Action.Select(action => (action, statement.Resource)))
            .OrderBy(pair => pair.action, StringComparer.Ordinal)
            .ToDictionary(pair => pair.action, pair => pair.Resource.ToArray());

    private static PolicyDocument Policy(string version = IamPolicyGrammar.Version, PolicyStatement? statement = null) =>
        new(version, [statement ?? new PolicyStatement("S3", "Allow", ["s3:GetObject"], ["arn:aws:s3:::incident-logs/a+b.log"])]);

    private static void Named(JsonObject record, string eventName, params (string Arn, string Type)[] resources) =>
        Named(record, eventName, "s3.amazonaws.com", resources);

    private static void Named(JsonObject record, string eventName, string source, params (string Arn, string Type)[] resources)
    {
        record["eventName"] = eventName;
        record["eventSource"] = source;
        if (resources.Length > 0)
        {
            record["resources"] = new JsonArray(resources.Select(resource => (JsonNode)new JsonObject
                { ["accountId"] = "111122223333", ["type"] = resource.Type, ["ARN"] = resource.Arn }).ToArray());
        }
    }

    /// <summary>A fixture record as the evidence holds it: classified against a grant that ended at <see cref="End"/>.</summary>
    private static EvidenceEvent Event(string fixture, Action<JsonObject>? edit = null, string time = "2025-03-14T09:40:30Z")
    {
        var node = CloudTrailFixtures.Node(fixture);
        node["eventTime"] = time;
        node["eventID"] = Guid.NewGuid().ToString();
        edit?.Invoke(node);
        var record = CloudTrailRecord.Parse(node.ToJsonString());
        var rules = SeverityRules.Default;
        var classification = rules.Classify(record, "BreakGlassAdmin", End);
        var flags = EvidenceSeverity.FlagNames(classification.Flags);
        return new EvidenceEvent(record.EventId, record.EventTime, record.EventSource, record.EventName, record.ReadOnly,
            EvidenceSeverity.Name(classification.Severity), classification.RuleId, classification.Reasons, flags, record.ErrorCode,
            EventOutcome.Of(record.ErrorCode, flags), rules.Resources.Touched(record), rules.Resources.ChangeOf(record), record.AwsRegion,
            record.SourceIpAddress, record.UserAgent, record.AccessKeyId, [], record.Raw);
    }
}
