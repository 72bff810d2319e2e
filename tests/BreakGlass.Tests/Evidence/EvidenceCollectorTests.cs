using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using BreakGlass.Audit;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Aws.Sts;
using BreakGlass.Evidence;
using BreakGlass.Evidence.S3Logs;
using BreakGlass.Revocation;
using BreakGlass.Storage;
using BreakGlass.Tests.CloudTrail;
using BreakGlass.Tests.Infrastructure;
using Dapper;
using static BreakGlass.Tests.CloudTrail.LocalAwsTestClient;

namespace BreakGlass.Tests.Evidence;

/// <summary>Passes driven directly, in this process, against a real database, the LocalAws front and moto's S3.</summary>
public sealed class EvidenceCollectorTests(MotoServer moto) : LocalAwsTest(moto), IClassFixture<MotoServer>
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AFirstPassKeepsEveryKeyAndRegionOfTheSessionWithinItsWindowAndNothingElse()
    {
        await using var services = await StartAsync();
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-10));
        var (first, reissued) = (NewAccessKeyId(), NewAccessKeyId());
        var grantId = await RevokedGrants.InsertAsync(services, [first, reissued], requestedAt, endedAt);
        List<JsonObject> session =
        [
            .. SessionEvents.Spread(first, 60, requestedAt, endedAt),
            .. SessionEvents.Spread(reissued, 25, requestedAt.AddMinutes(15), endedAt, "eu-west-1"),
            // Inside the margins on either side of the window.
            Event(first, requestedAt - Margin + TimeSpan.FromSeconds(5)),
            Event(reissued, endedAt + Margin - TimeSpan.FromSeconds(5), "kms-disable-key"),
        ];
        await LocalAws.SeedAsync(
        [
            .. session,
            .. SessionEvents.Spread(NewAccessKeyId(), 50, requestedAt, endedAt),
            Event(first, requestedAt - Margin - TimeSpan.FromSeconds(5)),
            Event(reissued, endedAt + Margin + TimeSpan.FromSeconds(5)),
            Event(first, requestedAt.AddMinutes(5), region: "ap-southeast-2"),
        ]);

        Assert.Equal(PassOutcome.Recorded, await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));

        var report = (await services.Store.LoadReportAsync(grantId, CancellationToken.None))!;
        Assert.Equal(EvidenceCompleteness.Partial, report.Completeness);
        Assert.NotNull(report.FirstPassAt);
        Assert.Null(report.FinalPassAt);
        Assert.Equal(SessionEvents.IdsOf(session).Order(StringComparer.Ordinal), report.Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
        EvidenceCollectionTests.AssertMostSevereFirstThenByTime(report.Events);
        Assert.Equal(report.Sha256, EvidenceHash.Of(report));
        Assert.Equal("CollectingEvidence", await RevokedGrants.StatusAsync(services, grantId));
        Assert.Equal(["evidence.partial"], await RevokedGrants.EvidenceAuditTypesAsync(services.ConnectionString, grantId));
    }

    [Fact]
    public async Task TheFinalPassAddsLateEventsAndChangesTheHashWhileRunsFindingNothingNewKeepIt()
    {
        await using var services = await StartAsync();
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-10));
        var key = NewAccessKeyId();
        var grantId = await RevokedGrants.InsertAsync(services, [key], requestedAt, endedAt);
        await LocalAws.SeedAsync(SessionEvents.Spread(key, 20, requestedAt, endedAt));
        await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None);
        var partial = await ReportAsync(services, grantId);

        Assert.Equal(PassOutcome.AlreadyDone, await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));
        Assert.Equal(PassOutcome.Recorded, await services.Collector.RerunAsync(grantId, EvidencePass.First, CancellationToken.None));
        Assert.Equal((partial.Sha256, partial.FirstPassAt), ((await ReportAsync(services, grantId)).Sha256, (await ReportAsync(services, grantId)).FirstPassAt));

        // CloudTrail delivered these after the first pass, though they happened during the window.
        var late = SessionEvents.Spread(key, 5, endedAt.AddMinutes(-3), endedAt);
        await LocalAws.SeedAsync(late);
        await services.Collector.RunPendingAsync(grantId, EvidencePass.Final, CancellationToken.None);
        var complete = await ReportAsync(services, grantId);
        Assert.Equal(EvidenceCompleteness.Complete, complete.Completeness);
        Assert.Equal(25, complete.Summary.TotalEvents);
        Assert.NotEqual(partial.Sha256, complete.Sha256);
        Assert.Equal(partial.FirstPassAt, complete.FirstPassAt);
        Assert.Equal("AwaitingReview", await RevokedGrants.StatusAsync(services, grantId));

        await services.Collector.RerunAsync(grantId, EvidencePass.Final, CancellationToken.None);
        Assert.Equal(complete.Sha256, (await ReportAsync(services, grantId)).Sha256);
        Assert.Equal(["evidence.partial", "evidence.complete"], await RevokedGrants.EvidenceAuditTypesAsync(services.ConnectionString, grantId));

        // Found after the reviewer's copy was complete: a new hash, recorded in the audit chain.
        await LocalAws.SeedAsync([Event(key, endedAt.AddSeconds(-1), "iam-create-access-key")]);
        await services.Collector.RerunAsync(grantId, EvidencePass.Final, CancellationToken.None);
        var updated = await ReportAsync(services, grantId);
        Assert.Equal((EvidenceCompleteness.Complete, 26, complete.FinalPassAt), (updated.Completeness, updated.Summary.TotalEvents, updated.FinalPassAt));
        Assert.NotEqual(complete.Sha256, updated.Sha256);
        Assert.Equal(["evidence.partial", "evidence.complete", "evidence.updated"], await RevokedGrants.EvidenceAuditTypesAsync(services.ConnectionString, grantId));
    }

    [Fact]
    public async Task CallsAfterTheGrantEndedAreFlaggedAndLiftedToTheTopAndEveryEventNamesWhatItTouched()
    {
        await using var services = await StartAsync();
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-10));
        var key = NewAccessKeyId();
        // STS credentials outlive the window: what they did after the end is still the session's.
        var grantId = await RevokedGrants.InsertAsync(services, [key], requestedAt, endedAt, credentialsExpireAt: endedAt.AddMinutes(5));
        var created = Event(key, requestedAt.AddMinutes(5), "iam-create-access-key");
        created["eventName"] = "CreateUser";
        created["requestParameters"] = new JsonObject { ["userName"] = "backdoor" };
        var acceptedAfterEnd = Event(key, endedAt.AddMinutes(2), "s3-list-buckets");
        var refusedAfterEnd = Event(key, endedAt.AddMinutes(3), "ec2-describe-instances-denied");
        await LocalAws.SeedAsync([created, acceptedAfterEnd, refusedAfterEnd, Event(key, requestedAt.AddMinutes(6), "ec2-terminate-instances")]);

        await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None);

        var report = await ReportAsync(services, grantId);
        Assert.Equal([(string)acceptedAfterEnd["eventID"]!, (string)refusedAfterEnd["eventID"]!], report.Events.Take(2).Select(item => item.EventId));
        Assert.All(report.Events.Take(2), item => Assert.Contains(EvidenceSeverity.AfterEnd, item.Flags));
        Assert.All(report.Events.Skip(2), item => Assert.DoesNotContain(EvidenceSeverity.AfterEnd, item.Flags));
        Assert.Equal((EvidenceSeverity.Critical, EventOutcome.Accepted), (report.Events[0].Severity, report.Events[0].Outcome));
        Assert.Equal(EventOutcome.Denied, report.Events[1].Outcome);
        Assert.Equal((1, 1), (report.Summary.AfterEnd.Accepted, report.Summary.AfterEnd.Refused));
        var backdoor = report.Events.Single(item => item.EventName == "CreateUser");
        Assert.Equal([new TouchedResource("AWS::IAM::User", "backdoor")], backdoor.Touched);
        Assert.Equal([new TouchedResource("AWS::EC2::Instance", "i-0123456789abcdef0")], report.Events.Single(item => item.EventName == "TerminateInstances").Touched);
        Assert.Contains(report.Summary.Changes, change => (change.Change, change.Type, change.Name) == (ChangeKind.Created, "AWS::IAM::User", "backdoor"));
        Assert.Contains(report.Summary.Changes, change => (change.Change, change.Name) == (ChangeKind.Deleted, "i-0123456789abcdef0"));
        Assert.Contains(report.Summary.PersistenceItems, item => item.Contains("CreateUser → AWS::IAM::User backdoor", StringComparison.Ordinal));
        Assert.Equal("Production database is down, restoring service", report.Grant.Reason);
        Assert.Equal(report.Sha256, EvidenceHash.Of(report));
    }

    [Fact]
    public async Task DataEventsFromTheTrailsLogFilesJoinTheLookupEventsAndAnEventBothHoldIsStoredOnce()
    {
        var (services, s3, location) = await StartWithTrailAsync();
        await using var servicesScope = services;
        using var s3Scope = s3;
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-10));
        var key = NewAccessKeyId();
        var grantId = await RevokedGrants.InsertAsync(services, [key], requestedAt, endedAt);
        var lookedUp = SessionEvents.Spread(key, 10, requestedAt, endedAt);
        await LocalAws.SeedAsync(lookedUp);
        var weightsRead = WeightsRead(key, requestedAt.AddMinutes(7));
        await S3CloudTrailLogSourceTests.PutLogFileAsync(s3, location, "us-east-1", Delivered(requestedAt.AddMinutes(12)),
            weightsRead, JsonNode.Parse(lookedUp[3].ToJsonString())!.AsObject(), WeightsRead(NewAccessKeyId("AKIA"), requestedAt.AddMinutes(8)));

        await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None);

        var report = await ReportAsync(services, grantId);
        Assert.Equal(SessionEvents.IdsOf([.. lookedUp, weightsRead]).Order(StringComparer.Ordinal), report.Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
        await using var connection = await services.Database.OpenConnectionAsync();
        var sources = (await connection.QueryAsync<(string EventId, string Source)>(
            "SELECT event_id, source FROM evidence_events WHERE grant_id = @grantId", new { grantId })).ToDictionary(row => row.EventId, row => row.Source);
        Assert.Equal("s3", sources[(string)weightsRead["eventID"]!]);
        Assert.Equal("lookup", sources[(string)lookedUp[3]["eventID"]!]);
        var read = report.Events.Single(item => item.EventName == "GetObject");
        Assert.Equal(["arn:aws:s3:::model-weights/llm/v3/weights.safetensors", "arn:aws:s3:::model-weights"], read.Resources);
    }

    [Fact]
    public async Task AConsoleSessionIsFoundByItsRoleSessionNameButTheSameNameUnderAnotherRoleOrAccountIsNot()
    {
        await using var services = await StartAsync();
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-10));
        var key = NewAccessKeyId();
        var grant = await RevokedGrants.InsertGrantAsync(services, [key], requestedAt, endedAt);
        var sessionName = AssumeRoleParameters.RoleSessionName(grant);
        var consoleKey = NewAccessKeyId();
        var byKey = SessionEvents.Spread(key, 6, requestedAt, endedAt);
        // The console session AWS made from the same credentials: another key, the same role session name.
        var console = new[] { "iam-create-access-key", "s3-list-buckets", "ec2-describe-instances" }
            .Select((fixture, index) => SessionOf(Event(consoleKey, requestedAt.AddMinutes(5 + index), fixture), "BreakGlassAdmin", sessionName, "123456789012"))
            .ToList();
        await LocalAws.SeedAsync(
        [
            .. byKey, .. console,
            SessionOf(Event(NewAccessKeyId(), requestedAt.AddMinutes(9)), "SomeOtherRole", sessionName, "123456789012"),
            SessionOf(Event(NewAccessKeyId(), requestedAt.AddMinutes(9)), "BreakGlassAdmin", sessionName, "210987654321"),
        ]);

        await services.Collector.RunPendingAsync(grant.Id, EvidencePass.First, CancellationToken.None);

        var report = await ReportAsync(services, grant.Id);
        Assert.Equal(SessionEvents.IdsOf([.. byKey, .. console]).Order(StringComparer.Ordinal), report.Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
        var created = report.Events.Single(item => item.AccessKeyId == consoleKey && item.EventName == "CreateAccessKey");
        Assert.Contains(EvidenceSeverity.Persistence, created.Flags);
        Assert.Same(created, report.Events[0]);
        Assert.Equal(1, report.Summary.Persistence);
    }

    [Fact]
    public async Task AChainedSessionInTheTrailsLogFilesIsFoundByItsSourceIdentity()
    {
        var (services, s3, location) = await StartWithTrailAsync();
        await using var servicesScope = services;
        using var s3Scope = s3;
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddMinutes(-40), DateTimeOffset.UtcNow.AddMinutes(-10));
        var grant = await RevokedGrants.InsertGrantAsync(services, [NewAccessKeyId()], requestedAt, endedAt);
        var sourceIdentity = AssumeRoleParameters.SourceIdentity(grant.Requester);
        // The engineer chained into another role under a name of their choosing: only the source identity survives.
        var chained = SessionOf(Event(NewAccessKeyId(), requestedAt.AddMinutes(6), "iam-create-login-profile"), "DataTeamAdmin", "whatever-i-like", "123456789012", sourceIdentity);
        var someoneElse = SessionOf(Event(NewAccessKeyId(), requestedAt.AddMinutes(7), "iam-create-login-profile"), "DataTeamAdmin", "whatever-i-like", "123456789012", "mallory");
        await S3CloudTrailLogSourceTests.PutLogFileAsync(s3, location, "us-east-1", Delivered(requestedAt.AddMinutes(12)), chained, someoneElse);

        await services.Collector.RunPendingAsync(grant.Id, EvidencePass.First, CancellationToken.None);

        var found = Assert.Single((await ReportAsync(services, grant.Id)).Events);
        Assert.Equal((string)chained["eventID"]!, found.EventId);
        Assert.Contains(EvidenceSeverity.Persistence, found.Flags);
    }

    [Fact]
    public async Task TheWindowRunsToTheLastCredentialsExpiryAndToARevocationThatKeptFailingPastIt()
    {
        await using var services = await StartAsync();
        var now = DateTimeOffset.UtcNow;
        var (requestedAt, endedAt, credentialsExpireAt) = (now.AddMinutes(-60), now.AddMinutes(-50), now.AddMinutes(-40));
        var key = NewAccessKeyId();
        var grant = await RevokedGrants.InsertGrantAsync(services, [key], requestedAt, endedAt, credentialsExpireAt: credentialsExpireAt);
        // Revocation failed until now: the session could act until then.
        await using (var connection = await services.Database.OpenConnectionAsync())
        {
            await new AuditLog(TimeProvider.System, []).AppendAsync(connection, null, grant.Id, RevocationAuditEvents.Failed, SystemActor.Name,
                new Dictionary<string, object?> { ["attempts"] = 3 });
            await new AuditLog(TimeProvider.System, []).AppendAsync(connection, null, grant.Id, RevocationAuditEvents.Revoked, SystemActor.Name,
                new Dictionary<string, object?> { ["attempts"] = 4 });
        }
        var revokedAt = DateTimeOffset.UtcNow;
        List<JsonObject> session =
        [
            Event(key, endedAt.AddMinutes(5), "iam-create-access-key"),
            Event(key, credentialsExpireAt.AddMinutes(10)),
            Event(key, revokedAt + Margin - TimeSpan.FromSeconds(10)),
        ];
        await LocalAws.SeedAsync([.. session, Event(key, revokedAt + Margin + TimeSpan.FromSeconds(30))]);

        await services.Collector.RunPendingAsync(grant.Id, EvidencePass.First, CancellationToken.None);

        Assert.Equal(SessionEvents.IdsOf(session).Order(StringComparer.Ordinal),
            (await ReportAsync(services, grant.Id)).Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task APassIsSkippedWhileAnotherWorkerCollectsTheGrant()
    {
        await using var services = await StartAsync();
        var grantId = await RevokedGrants.InsertAsync(services, [NewAccessKeyId()], DateTimeOffset.UtcNow.AddMinutes(-20), DateTimeOffset.UtcNow.AddMinutes(-5));
        await using var otherWorker = await services.Database.OpenConnectionAsync();
        await AdvisoryLocks.EvidenceCollection.TakeAsync(otherWorker, grantId.ToString());

        Assert.Equal(PassOutcome.Busy, await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));

        await AdvisoryLocks.EvidenceCollection.ReleaseAsync(otherWorker, grantId);
        Assert.Equal(PassOutcome.Recorded, await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));
    }

    [Fact]
    public async Task EvidenceIsCollectedWhileTheGrantsTicketActionsAreBeingCarriedOut()
    {
        await using var services = await StartAsync();
        var grantId = await RevokedGrants.InsertAsync(services, [NewAccessKeyId()], DateTimeOffset.UtcNow.AddMinutes(-20), DateTimeOffset.UtcNow.AddMinutes(-5));
        await using var ticketWorker = await services.Database.OpenConnectionAsync();
        Assert.True(await AdvisoryLocks.TicketActions.TryTakeAsync(ticketWorker, grantId));

        Assert.Equal(PassOutcome.Recorded, await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));

        await AdvisoryLocks.TicketActions.ReleaseAsync(ticketWorker, grantId);
    }

    [Fact]
    public async Task AGrantWithoutAPlanIsNotCollectedUntilTheSweeperPlansIt()
    {
        await using var services = await StartAsync();
        var key = NewAccessKeyId();
        var (requestedAt, endedAt) = (DateTimeOffset.UtcNow.AddHours(-3), DateTimeOffset.UtcNow.AddHours(-2));
        var grantId = await RevokedGrants.InsertAsync(services, [key], requestedAt, endedAt, plan: false);
        var session = SessionEvents.Spread(key, 12, requestedAt, endedAt);
        await LocalAws.SeedAsync(session);

        Assert.Equal(PassOutcome.NotPlanned, await services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));
        Assert.Equal(EvidenceCompleteness.None, (await ReportAsync(services, grantId)).Completeness);

        // Ended two hours ago: once planned, both passes are overdue and the final one runs at once.
        await services.Sweeper.SweepAsync(CancellationToken.None);

        var report = await ReportAsync(services, grantId);
        Assert.Equal(EvidenceCompleteness.Complete, report.Completeness);
        Assert.Equal(12, report.Summary.TotalEvents);
        Assert.Equal("AwaitingReview", await RevokedGrants.StatusAsync(services, grantId));
    }

    [Fact]
    public async Task AFailingPassRecordsItsErrorBacksOffAndLeavesTheEvidenceAsItWas()
    {
        // Due at once, so only the backoff keeps the sweeper from retrying straight away.
        await using var services = await StartAsync(new() { ["DeliveryDelaySeconds"] = "0" });
        // Ended before it began: CloudTrail refuses a window whose start is after its end.
        var requestedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        var grantId = await RevokedGrants.InsertAsync(services, [NewAccessKeyId()], requestedAt, requestedAt.AddMinutes(-5));

        var failure = await Assert.ThrowsAsync<CloudTrailException>(() => services.Collector.RunPendingAsync(grantId, EvidencePass.First, CancellationToken.None));

        Assert.Equal("InvalidTimeRangeException", failure.ErrorCode);
        await using var connection = await services.Database.OpenConnectionAsync();
        var (attempts, lastError, retryIn) = await connection.QuerySingleAsync<(int, string, double)>(
            "SELECT attempts, last_error, extract(epoch FROM next_attempt_at - now())::float8 FROM evidence WHERE grant_id = @grantId", new { grantId });
        Assert.Equal(1, attempts);
        Assert.Contains("InvalidTimeRangeException", lastError, StringComparison.Ordinal);
        Assert.InRange(retryIn, 20, 40);
        Assert.Equal(0, await services.Sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(EvidenceCompleteness.None, (await ReportAsync(services, grantId)).Completeness);
        Assert.Equal("Revoked", await RevokedGrants.StatusAsync(services, grantId));
    }

    private async Task<EvidenceServices> StartAsync(Dictionary<string, string>? extra = null)
    {
        var settings = EvidenceSettings.Section();
        settings["WindowMarginSeconds"] = ((int)Margin.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        foreach (var (key, value) in extra ?? []) settings[key] = value;
        var connectionString = await (await PostgresServer.GetAsync()).CreateDatabaseAsync("evidence");
        return await EvidenceServices.StartAsync(connectionString, Front.BaseUrl, settings, migrate: true);
    }

    /// <summary>Evidence services reading a fresh trail bucket in moto's S3 as well as LookupEvents.</summary>
    private async Task<(EvidenceServices Services, AmazonS3Client S3, S3TrailLocation Location)> StartWithTrailAsync()
    {
        var location = new S3TrailLocation($"trail-{Guid.NewGuid():N}", "123456789012", ["us-east-1"]);
        var s3 = new AmazonS3Client(new BasicAWSCredentials("testing", "testing"),
            new AmazonS3Config { ServiceURL = Moto.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await s3.PutBucketAsync(location.Bucket);
        var services = await StartAsync(new()
        {
            ["S3:Bucket"] = location.Bucket, ["S3:AccountId"] = location.AccountId!, ["S3:Regions:0"] = "us-east-1",
        });
        return (services, s3, location);
    }

    private static async Task<EvidenceReport> ReportAsync(EvidenceServices services, Guid grantId) =>
        (await services.Store.LoadReportAsync(grantId, CancellationToken.None))!;

    /// <summary><paramref name="record"/> as made by the role session <c>assumed-role/<paramref name="role"/>/<paramref name="session"/></c>.</summary>
    private static JsonObject SessionOf(JsonObject record, string role, string session, string account, string sourceIdentity = "someone-else")
    {
        var identity = record["userIdentity"]!;
        identity["arn"] = $"arn:aws:sts::{account}:assumed-role/{role}/{session}";
        identity["accountId"] = account;
        identity["principalId"] = $"AROA3EXAMPLE{role.ToUpperInvariant()}:{session}";
        identity["sessionContext"]!["sessionIssuer"]!["arn"] = $"arn:aws:iam::{account}:role/{role}";
        identity["sessionContext"]!["sessionIssuer"]!["userName"] = role;
        identity["sessionContext"]!["sourceIdentity"] = sourceIdentity;
        return record;
    }

    private static string Delivered(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);

    /// <summary>A data event LookupEvents never shows: a read of a model-weights object.</summary>
    private static JsonObject WeightsRead(string accessKeyId, DateTimeOffset at)
    {
        var record = Event(accessKeyId, at, "s3-list-buckets");
        record["eventName"] = "GetObject";
        record["eventCategory"] = "Data";
        record["managementEvent"] = false;
        record["requestParameters"] = new JsonObject { ["bucketName"] = "model-weights", ["key"] = "llm/v3/weights.safetensors" };
        record["resources"] = new JsonArray(
            new JsonObject { ["type"] = "AWS::S3::Object", ["ARN"] = "arn:aws:s3:::model-weights/llm/v3/weights.safetensors" },
            new JsonObject { ["accountId"] = "123456789012", ["type"] = "AWS::S3::Bucket", ["ARN"] = "arn:aws:s3:::model-weights" });
        return record;
    }
}
