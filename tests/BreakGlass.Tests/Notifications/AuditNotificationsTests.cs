using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Grants;
using BreakGlass.Notifications;

namespace BreakGlass.Tests.Notifications;

public sealed class AuditNotificationsTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly Grant Grant = new(Guid.CreateVersion7(), GrantStatus.Active, "sub-alice", "prod-admin",
        "arn:aws:iam::123456789012:role/prod-admin", "Orders DB down", "OPS-42", Start, Start.AddHours(1), Start.AddHours(1),
        null, null, null, 0, null, "alice@example.com");

    [Fact]
    public void GlassBrokenSaysWhoWhatWhereForHowLongWhyAndTheTicket()
    {
        var draft = Map("grant.issued", new { accessKeyId = "ASIAEXAMPLE" }, Grant, new TicketView("linked", "OPS-42", "https://linear.app/acme/issue/OPS-42", null))!;

        Assert.Equal(NotificationTypes.GrantIssued, draft.Type);
        Assert.Equal("grant.issued:7", draft.DedupeKey);
        Assert.Equal(Grant.Id, draft.GrantId);
        Assert.Equal("Glass broken: prod-admin in 123456789012", draft.Title);
        Assert.Equal("alice@example.com broke glass into prod-admin (account 123456789012) from 2026-12-02 09:00 UTC until 2026-12-02 10:00 UTC. Reason: Orders DB down", draft.Text);
        Assert.Equal(["requester", "role", "account", "startsAt", "expiresAt", "reason", "ticket", "ticketUrl"], draft.Data.Keys);
        Assert.Equal("OPS-42", draft.Data["ticket"]);
        Assert.Equal("https://linear.app/acme/issue/OPS-42", draft.Data["ticketUrl"]);
        Assert.DoesNotContain("ASIAEXAMPLE", JsonSerializer.Serialize(draft));
    }

    [Theory]
    [InlineData("sub-bob", true)]
    [InlineData(SystemActor.Name, false)]
    public void AnEndIsEarlyUnlessTheWindowEndedIt(string endedBy, bool early)
    {
        var ended = Grant with { Status = GrantStatus.Revoked, EndedAt = Start.AddMinutes(20), EndedBy = endedBy, EndReason = "done" };

        var draft = Map("grant.revoked", new { deniedGrants = 1 }, ended)!;

        Assert.Equal(NotificationTypes.GrantEnded, draft.Type);
        Assert.Equal(early, draft.Data["early"]);
        Assert.Equal(NotificationSeverity.Info, draft.Severity);
    }

    [Fact]
    public void AFailingRevocationIsCritical()
    {
        var draft = Map("grant.revocation_failed", new { attempts = 3, error = "IamException: throttled" }, Grant)!;

        Assert.Equal((NotificationTypes.RevocationFailing, NotificationSeverity.Critical), (draft.Type, draft.Severity));
        Assert.Equal(3L, draft.Data["attempts"]);
    }

    [Fact]
    public void OneDriftRepairRecordedOnSeveralGrantsIsOneNotification()
    {
        var data = new { roleArn = Grant.RoleArn, finding = "deleted", restoredGrantCount = 2, repairedAt = "2026-12-02T09:30:00Z" };

        var first = Map("deny.drift_repaired", data, Grant, sequence: 10)!;
        var second = Map("deny.drift_repaired", data, Grant with { Id = Guid.CreateVersion7() }, sequence: 11)!;

        Assert.Equal((NotificationTypes.DenyDrift, NotificationSeverity.Critical), (first.Type, first.Severity));
        Assert.Equal(first.DedupeKey, second.DedupeKey);
    }

    [Theory]
    [InlineData(0, 0, NotificationSeverity.Info)]
    [InlineData(1, 0, NotificationSeverity.Critical)]
    [InlineData(0, 2, NotificationSeverity.Critical)]
    public void CompleteEvidenceCountsCriticalAndLastingAccess(int critical, int persistence, string severity)
    {
        var draft = Map("evidence.complete", new { events = 12, critical, persistence, sha256 = "ab" }, Grant)!;

        Assert.Equal(NotificationTypes.EvidenceComplete, draft.Type);
        Assert.Equal(severity, draft.Severity);
        Assert.Equal((long)critical, draft.Data["critical"]);
        Assert.Equal((long)persistence, draft.Data["persistence"]);
    }

    [Theory]
    [InlineData("approved", NotificationSeverity.Info, "Review approved: prod-admin")]
    [InlineData("flagged", NotificationSeverity.Critical, "Review FLAGGED: prod-admin")]
    public void AFlaggedReviewIsLoud(string decision, string severity, string title)
    {
        var draft = Map("review.decided", new { decision, notes = "deleted a bucket" }, Grant, actor: "carol@example.com")!;

        Assert.Equal((NotificationTypes.ReviewDecided, severity, title), (draft.Type, draft.Severity, draft.Title));
    }

    [Fact]
    public void ThePanicButtonIsCriticalAndCountsWhatItEnded()
    {
        var draft = Map("role.revoked_all", new { role = "prod-admin", roleArn = Grant.RoleArn, reason = "key leaked", endedGrants = new[] { Guid.NewGuid(), Guid.NewGuid() } }, null)!;

        Assert.Equal((NotificationTypes.RoleRevokedAll, NotificationSeverity.Critical), (draft.Type, draft.Severity));
        Assert.Equal(2, draft.Data["endedGrants"]);
    }

    [Fact]
    public void OnlyAFailedPreflightIsAFailedCheck()
    {
        Assert.Null(Map("preflight.completed", new { ok = true, failures = Array.Empty<string>() }, null));

        var failed = Map("preflight.completed", new { ok = false, failures = new[] { "prod-admin (123456789012): agent-assumable: AccessDenied" } }, null)!;

        Assert.Equal(NotificationTypes.CheckFailed, failed.Type);
        Assert.Equal("preflight", failed.Data["check"]);
    }

    [Fact]
    public void OnlyAFailedDrillIsAFailedCheck()
    {
        Assert.Null(Map("drill.completed", new { drillId = "d-0", role = "drill", passed = true }, Grant, drill: true));

        var failed = Map("drill.completed", new
        {
            drillId = "d-1", role = "drill", passed = false, failedStage = "credentials",
            stages = new[] { new { name = "credentials", ok = false, seconds = 1.5, detail = "AccessDenied on AssumeRole" } },
        }, Grant, drill: true)!;

        Assert.Equal((NotificationTypes.CheckFailed, NotificationSeverity.Critical), (failed.Type, failed.Severity));
        Assert.Equal("drill", failed.Data["check"]);
        Assert.Equal("d-1", failed.Data["drillId"]);
        Assert.Equal("credentials", failed.Data["failedStage"]);
        Assert.Equal("AccessDenied on AssumeRole", failed.Data["detail"]);
    }

    [Theory]
    [InlineData("grant.issued")]
    [InlineData("grant.revoked")]
    [InlineData("evidence.complete")]
    [InlineData("review.decided")]
    public void ADrillsRoutineLifecycleIsQuiet(string eventType) => Assert.Null(Map(eventType, new { decision = "approved" }, Grant, drill: true));

    [Fact]
    public void ADrillsFailingRevocationIsStillTold() =>
        Assert.Equal(NotificationTypes.RevocationFailing, Map("grant.revocation_failed", new { attempts = 3, error = "x" }, Grant, drill: true)?.Type);

    [Theory]
    [InlineData("grant.requested")]
    [InlineData("grant.ending")]
    [InlineData("deny.verified")]
    [InlineData("evidence.partial")]
    public void RoutineEventsAreNotNotified(string eventType)
    {
        Assert.False(AuditNotifications.Concerns(eventType));
        Assert.Null(Map(eventType, new { }, Grant));
    }

    private static NotificationDraft? Map(
        string eventType, object data, Grant? grant, TicketView? ticket = null, long sequence = 7, string actor = SystemActor.Name, bool drill = false) =>
        AuditNotifications.Map(
            new AuditEvent(sequence, Start, grant?.Id, eventType, actor, JsonSerializer.Serialize(data, NotificationPayload.Json), "prev", "hash"),
            grant, ticket, drill);
}
