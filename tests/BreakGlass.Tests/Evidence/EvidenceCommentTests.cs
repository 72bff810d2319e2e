using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Evidence;
using BreakGlass.Evidence.LeastPrivilege;

namespace BreakGlass.Tests.Evidence;

public sealed class EvidenceCommentTests
{
    private static readonly ChainHead Head = new(4711, new string('c', 64));

    [Fact]
    public void TheCommentGivesTheCountsTheHashAndEachCriticalAction()
    {
        var report = Report(
            Event("2025-03-14T09:23:31Z", "iam.amazonaws.com", "AttachRolePolicy", "critical", ["Changes IAM users, keys, roles or policies"]),
            Event("2025-03-14T09:20:00Z", "ec2.amazonaws.com", "DescribeInstances", "info", ["Reads without changing anything"], errorCode: "Client.UnauthorizedOperation", accessDenied: true),
            Event("2025-03-14T09:21:00Z", "ec2.amazonaws.com", "TerminateInstances", "high", ["Deletes or terminates a resource"]));

        var markdown = EvidenceComment.Render(report, Head);

        Assert.StartsWith("**Evidence collected** (complete): 3 CloudTrail events by this session, **1 critical**, **0 creating lasting access**, **0 after the grant ended**.", markdown, StringComparison.Ordinal);
        Assert.Contains("| By severity | critical 1, high 1, info 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| By service | `ec2.amazonaws.com` 2, `iam.amazonaws.com` 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| Failed calls | 1 (1 access denied) |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Evidence SHA-256 | `{report.Sha256}` |", markdown, StringComparison.Ordinal);
        Assert.Contains($"| Audit chain head | event 4711, hash `{Head.Hash}` |", markdown, StringComparison.Ordinal);
        Assert.Contains("- `2025-03-14T09:23:31Z iam.amazonaws.com AttachRolePolicy (Changes IAM users, keys, roles or policies)`", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("TerminateInstances", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommentListsTheActionsThatCreatedLastingAccessBeforeTheCriticalOnes()
    {
        var markdown = EvidenceComment.Render(Report(
            Event("2025-03-14T09:23:31Z", "iam.amazonaws.com", "CreateAccessKey", "critical", ["Changes IAM users, keys, roles or policies"], persistence: true),
            Event("2025-03-14T09:22:00Z", "iam.amazonaws.com", "CreateUser", "critical", ["Changes IAM users, keys, roles or policies"], persistence: true),
            Event("2025-03-14T09:24:00Z", "kms.amazonaws.com", "DisableKey", "critical", ["Disables a KMS key"])), Head);

        Assert.Contains("**3 critical**, **2 creating lasting access**", markdown, StringComparison.Ordinal);
        var lasting = markdown.IndexOf("**Lasting access created**", StringComparison.Ordinal);
        var critical = markdown.IndexOf("**Critical actions**", StringComparison.Ordinal);
        Assert.InRange(lasting, 0, critical);
        var listed = markdown[lasting..critical].Split('\n').Where(line => line.StartsWith("- `", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, listed.Count);
        Assert.Contains("CreateUser", listed[0], StringComparison.Ordinal);
        Assert.Contains("CreateAccessKey", listed[1], StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceWithoutLastingAccessHasNoSuchSection()
    {
        var markdown = EvidenceComment.Render(Report(Event("2025-03-14T09:20:00Z", "kms.amazonaws.com", "DisableKey", "critical", ["Disables"])), Head);

        Assert.DoesNotContain("Lasting access created", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void PastTheLimitCriticalActionsAreCountedNotListed()
    {
        var events = Enumerable.Range(0, EvidenceComment.MaxListedItems + 7)
            .Select(index => Event($"2025-03-14T09:{index:D2}:00Z", "kms.amazonaws.com", $"DisableKey{index}", "critical", ["Disables a KMS key"]))
            .ToArray();

        var markdown = EvidenceComment.Render(Report(events), Head);

        Assert.Equal(EvidenceComment.MaxListedItems, markdown.Split('\n').Count(line => line.StartsWith("- `", StringComparison.Ordinal)));
        Assert.Contains("- … and 7 more in the review view", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void TextFromCloudTrailCannotBreakOutOfItsCodeSpan()
    {
        var markdown = EvidenceComment.Render(Report(
            Event("2025-03-14T09:23:31Z", "iam.amazonaws.com", "PutRolePolicy` [click](https://evil.example)\n# heading", "critical", ["x"])), Head);

        var item = markdown.Split('\n').Single(line => line.StartsWith("- `", StringComparison.Ordinal));
        Assert.Equal(2, item.Count(character => character == '`'));
        Assert.DoesNotContain("\n# heading", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceWithoutCriticalActionsHasNoCriticalSection()
    {
        var markdown = EvidenceComment.Render(Report(Event("2025-03-14T09:20:00Z", "s3.amazonaws.com", "ListBuckets", "info", ["Reads"])), Head);

        Assert.Contains("**0 critical**", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Critical actions", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCommentNamesWhatEachActionTouchedAndWhatWasCreatedChangedAndDeletedBesideTheStatedReason()
    {
        var markdown = EvidenceComment.Render(Report(
            Event("2025-03-14T09:22:00Z", "iam.amazonaws.com", "CreateUser", "critical", ["Creates lasting access"], persistence: true,
                touched: [new TouchedResource("AWS::IAM::User", "backdoor")], change: ChangeKind.Created),
            Event("2025-03-14T09:23:00Z", "ec2.amazonaws.com", "TerminateInstances", "high", ["Deletes or terminates a resource"],
                touched: [new TouchedResource("AWS::EC2::Instance", "i-0123456789abcdef0")], change: ChangeKind.Deleted)), Head);

        Assert.Contains("| Stated reason | Checkout is down, restarting the payment workers |", markdown, StringComparison.Ordinal);
        Assert.Contains("| By change | created 1, changed 0, deleted 1 |", markdown, StringComparison.Ordinal);
        Assert.Contains("- `created AWS::IAM::User backdoor (iam.amazonaws.com CreateUser)`", markdown, StringComparison.Ordinal);
        Assert.Contains("- `deleted AWS::EC2::Instance i-0123456789abcdef0 (ec2.amazonaws.com TerminateInstances)`", markdown, StringComparison.Ordinal);
        Assert.Contains("- `2025-03-14T09:22:00Z iam.amazonaws.com CreateUser → AWS::IAM::User backdoor (Creates lasting access)`", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void CallsAfterTheGrantEndedComeFirstAndAnAcceptedOneRaisesTheAlarm()
    {
        var refusedOnly = EvidenceComment.Render(Report(
            Event("2025-03-14T10:01:00Z", "s3.amazonaws.com", "ListBuckets", "high", ["Refused after the grant ended"], errorCode: "AccessDenied",
                accessDenied: true, afterEnd: true)), Head);
        var accepted = EvidenceComment.Render(Report(
            Event("2025-03-14T10:01:00Z", "s3.amazonaws.com", "ListBuckets", "critical", ["Accepted after the grant ended"], afterEnd: true),
            Event("2025-03-14T09:22:00Z", "iam.amazonaws.com", "CreateUser", "critical", ["Creates lasting access"], persistence: true)), Head);

        Assert.Contains("| After the grant ended | 0 accepted, 1 refused |", refusedOnly, StringComparison.Ordinal);
        Assert.Contains("**Calls after the grant ended** (all refused: the cut-off held", refusedOnly, StringComparison.Ordinal);
        Assert.Contains("- `refused 2025-03-14T10:01:00Z s3.amazonaws.com ListBuckets", refusedOnly, StringComparison.Ordinal);
        Assert.Contains("🚨 **Calls after the grant ended**", accepted, StringComparison.Ordinal);
        Assert.InRange(accepted.IndexOf("Calls after the grant ended**", StringComparison.Ordinal), 0, accepted.IndexOf("**Lasting access created**", StringComparison.Ordinal));
    }

    private static EvidenceReport Report(params EvidenceEvent[] events)
    {
        var grantId = Guid.CreateVersion7();
        var (first, final) = (DateTimeOffset.Parse("2025-03-14T09:45:00Z"), DateTimeOffset.Parse("2025-03-14T10:30:00Z"));
        var grant = new EvidenceGrant("alice", "alice@example.com", "prod-admin", "Checkout is down, restarting the payment workers",
            DateTimeOffset.Parse("2025-03-14T09:00:00Z"), DateTimeOffset.Parse("2025-03-14T13:00:00Z"), DateTimeOffset.Parse("2025-03-14T10:00:00Z"),
            "done", "ENG-42", "https://linear.app/example/issue/ENG-42");
        return new EvidenceReport(grantId, EvidenceCompleteness.Complete, first, final, final,
            EvidenceHash.Compute(grantId, EvidenceCompleteness.Complete, first, final, events), grant, EvidenceSummaries.Of(events), events, 1,
            LeastPrivilegeAdvisor.Default.Suggest(events, "arn:aws:iam::111122223333:role/BreakGlassAdmin", [], EvidenceCompleteness.Complete));
    }

    private static EvidenceEvent Event(
        string time, string source, string name, string severity, string[] reasons, string? errorCode = null, bool accessDenied = false,
        bool persistence = false, bool afterEnd = false, TouchedResource[]? touched = null, string? change = null)
    {
        string[] flags =
        [
            .. afterEnd ? [EvidenceSeverity.AfterEnd] : Array.Empty<string>(),
            .. persistence ? [EvidenceSeverity.Persistence] : accessDenied ? ["error", EvidenceSeverity.AccessDenied] : errorCode is null ? Array.Empty<string>() : ["error"],
        ];
        return new(Guid.NewGuid().ToString(), DateTimeOffset.Parse(time), source, name, name.StartsWith("Describe", StringComparison.Ordinal), severity, "rule",
            reasons, flags, errorCode, EventOutcome.Of(errorCode, flags), touched ?? [], change, "us-east-1", "198.51.100.23",
            "aws-cli/2.15.30", "ASIA3EXAMPLEGRANT0001", [], JsonDocument.Parse("{}").RootElement);
    }
}
