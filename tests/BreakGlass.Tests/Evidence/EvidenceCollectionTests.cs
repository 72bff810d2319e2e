using System.Net;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using System.Text.Json;
using System.Text.Json.Nodes;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Evidence;
using BreakGlass.Evidence.Rules;
using BreakGlass.Tests.CloudTrail;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using static BreakGlass.Tests.CloudTrail.LocalAwsTestClient;

namespace BreakGlass.Tests.Evidence;

/// <summary>The real service, its real jobs and sweeper, LookupEvents answered by the LocalAws front before moto.</summary>
public sealed class EvidenceCollectionTests(EvidenceFixture fixture) : IClassFixture<EvidenceFixture>
{
    private static readonly TimeSpan UntilComplete = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task AfterRevocationTwoPassesAssembleExactlyTheSessionsEventsMostSevereFirst()
    {
        var role = fixture.TakeDedicatedRole();
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await engineer.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var accessKeyId = (string)created["credentials"]!["accessKeyId"]!;
        var requestedAt = DateTimeOffset.Parse((string)created["requestedAt"]!).ToUniversalTime();
        var now = DateTimeOffset.UtcNow;
        List<JsonObject> session =
        [
            .. SessionEvents.Spread(accessKeyId, 300, requestedAt, now),
            .. SessionEvents.Spread(accessKeyId, 40, requestedAt, now, "eu-west-1"),
        ];
        List<JsonObject> noise =
        [
            .. SessionEvents.Spread(NewAccessKeyId(), 200, requestedAt, now),
            .. SessionEvents.Spread(NewAccessKeyId("AKIA"), 100, requestedAt, now, "eu-west-1"),
            // The session's key, but long before the grant's window (and its margin) began.
            Event(accessKeyId, requestedAt.AddMinutes(-20), "iam-create-access-key"),
        ];
        await new LocalAwsTestClient(fixture.Front!.BaseUrl).SeedAsync([.. noise.Take(150), .. session, .. noise.Skip(150)]);

        await (await engineer.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        var revokedAt = DateTimeOffset.UtcNow;
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        var evidence = await reviewer.WaitForEvidenceAsync(id, EvidenceCompleteness.Complete, UntilComplete);

        var report = EvidenceApiClient.ToReport(evidence);
        Assert.Equal(SessionEvents.IdsOf(session).Order(StringComparer.Ordinal), report.Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
        Assert.All(report.Events, item => Assert.Equal(accessKeyId, item.AccessKeyId));
        AssertMostSevereFirstThenByTime(report.Events);
        var roleName = fixture.RoleArnOf(role).Split('/')[^1];
        var expected = session.Select(record => SeverityRules.Default.Classify(CloudTrailRecord.Parse(record.ToJsonString()), roleName)).ToList();
        Assert.Equal(expected.Count(item => item.Severity == Severity.Critical), report.Summary.BySeverity[EvidenceSeverity.Critical]);
        Assert.Equal(expected.Count(item => item.Severity == Severity.High), report.Summary.BySeverity[EvidenceSeverity.High]);
        Assert.Equal(expected.Count(item => item.Flags.HasFlag(EventFlags.AccessDenied)), report.Summary.AccessDenied);
        Assert.Equal(report.Summary.BySeverity[EvidenceSeverity.Critical], report.Summary.CriticalItems.Count);
        Assert.Equal(340, report.Summary.TotalEvents);
        Assert.Equal(EvidenceSeverity.Critical, report.Events[0].Severity);

        // The passes ran at their delays after revocation, in order, and the grant followed them.
        Assert.True((report.FirstPassAt!.Value - revokedAt).TotalSeconds >= EvidenceSettings.DeliveryDelaySeconds - 2, $"first pass at {report.FirstPassAt:O}, revoked at {revokedAt:O}");
        Assert.True((report.FinalPassAt!.Value - revokedAt).TotalSeconds >= EvidenceSettings.FinalPassDelaySeconds - 2, $"final pass at {report.FinalPassAt:O}, revoked at {revokedAt:O}");
        Assert.True(report.FinalPassAt > report.FirstPassAt);
        Assert.Equal("AwaitingReview", (await reviewer.GetGrantAsync(id)).Status);
        Assert.Equal(["evidence.partial", "evidence.complete"], await AuditTypesAsync(id));
        // Anyone holding the report can recompute its hash.
        Assert.Equal(report.Sha256, EvidenceHash.Of(report));

        await using var again = await EvidenceServices.StartAsync(fixture.ConnectionString, fixture.Front.BaseUrl, EvidenceSettings.Section());
        Assert.Equal(PassOutcome.AlreadyDone, await again.Collector.RunPendingAsync(Guid.Parse(id), EvidencePass.Final, CancellationToken.None));
        Assert.Equal(PassOutcome.Recorded, await again.Collector.RerunAsync(Guid.Parse(id), EvidencePass.First, CancellationToken.None));
        Assert.Equal(PassOutcome.Recorded, await again.Collector.RerunAsync(Guid.Parse(id), EvidencePass.Final, CancellationToken.None));
        var rerun = EvidenceApiClient.ToReport(await reviewer.GetEvidenceAsync(id));
        Assert.Equal(report.Sha256, rerun.Sha256);
        Assert.Equal((report.FirstPassAt, report.FinalPassAt), (rerun.FirstPassAt, rerun.FinalPassAt));
        Assert.Equal(report.Events.Select(item => item.EventId), rerun.Events.Select(item => item.EventId));
        Assert.Equal(["evidence.partial", "evidence.complete"], await AuditTypesAsync(id));
        Assert.Equal(340L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM evidence_events WHERE grant_id = @id", ("id", Guid.Parse(id))));
    }

    [Fact]
    public async Task TheEngineersOwnCallsThroughTheFrontBecomeEvidenceWithTheirSeverities()
    {
        var role = fixture.TakeDedicatedRole();
        var roleName = fixture.RoleArnOf(role).Split('/')[^1];
        var otherRoleName = fixture.RoleArnOf(BreakGlassFixture.TicketRole).Split('/')[^1];
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await engineer.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        using var session = new RecordedSession(fixture.Front!.BaseUrl, created["credentials"]!);

        await session.S3.ListBucketsAsync();
        await session.S3.PutBucketAsync($"incident-{Guid.NewGuid():N}");
        Assert.Equal(200, await session.IamAsync("PutRolePolicy", ("RoleName", otherRoleName), ("PolicyName", "backdoor"), ("PolicyDocument", RecordedSession.AllowAll)));
        Assert.Equal(200, await session.IamAsync("PutRolePolicy", ("RoleName", roleName), ("PolicyName", "keep-access"), ("PolicyDocument", RecordedSession.AllowAll)));
        Assert.Equal(404, await session.IamAsync("GetRole", ("RoleName", "does-not-exist")));
        await (await engineer.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        var events = EvidenceApiClient.Events(await auditor.WaitForEvidenceAsync(id, EvidenceCompleteness.Complete, UntilComplete));

        // Calls within one second tie on time, so compare as a set and check the order separately.
        Assert.Equal(
            [
                ("CreateBucket", "high", "mutating", null, ""),
                ("GetRole", "info", "read-only", "does-not-exist", "error"),
                ("ListBuckets", "info", "read-only", null, ""),
                ("PutRolePolicy", "critical", "iam.change", otherRoleName, "persistence"),
                ("PutRolePolicy", "critical", "iam.change", roleName, "targetsBreakGlassRole,persistence"),
            ],
            events.Select(item => (
                    (string)item["eventName"]!, (string)item["severity"]!, (string)item["ruleId"]!,
                    (string?)item["raw"]!["requestParameters"]?["roleName"], string.Join(",", item["flags"]!.AsArray().Select(flag => (string)flag!))))
                .OrderBy(item => item.Item1, StringComparer.Ordinal).ThenBy(item => item.Item5, StringComparer.Ordinal));
        AssertMostSevereFirstThenByTime(events.Select(item => item.Deserialize<EvidenceEvent>(GrantApiClient.Json)!).ToList());
        Assert.Equal("NoSuchEntity", (string?)events.Single(item => (string?)item["eventName"] == "GetRole")["errorCode"]);
        Assert.All(events, item =>
        {
            Assert.Equal(session.AccessKeyId, (string?)item["accessKeyId"]);
            Assert.Equal("AssumedRole", (string?)item["raw"]!["userIdentity"]!["type"]);
            Assert.Contains($":assumed-role/{roleName}/", (string?)item["raw"]!["userIdentity"]!["arn"], StringComparison.Ordinal);
        });
        Assert.DoesNotContain(session.SecretAccessKey, events.Select(item => item.ToJsonString()).Aggregate(string.Concat), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConsoleSessionUnderTheSameSessionNameIsCollectedAndTheLastingAccessItCreatedIsFlaggedAndShownFirst()
    {
        var role = fixture.TakeDedicatedRole();
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await engineer.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        using var session = new RecordedSession(fixture.Front!.BaseUrl, created["credentials"]!);
        var sessionArn = await session.CallerArnAsync();
        // AWS gives a console session from the federation endpoint a key of its own under the same role session
        // name; through the front, the broker assuming the role again under that name leaves the same trail.
        using var console = await ConsoleSessionAsync(role, sessionArn.Split('/')[^1], id);
        Assert.NotEqual(session.AccessKeyId, console.AccessKeyId);
        var backdoor = $"backdoor-{Guid.NewGuid():N}";

        await session.S3.ListBucketsAsync();
        Assert.Equal(200, await console.IamAsync("CreateUser", ("UserName", backdoor)));
        Assert.Equal(200, await console.IamAsync("CreateAccessKey", ("UserName", backdoor)));
        await console.S3.ListBucketsAsync();
        await (await engineer.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        var evidence = await reviewer.WaitForEvidenceAsync(id, EvidenceCompleteness.Complete, UntilComplete);

        var report = EvidenceApiClient.ToReport(evidence);
        Assert.Equal(
            [("CreateUser", console.AccessKeyId), ("CreateAccessKey", console.AccessKeyId)],
            report.Events.Take(2).Select(item => (item.EventName, item.AccessKeyId!)).OrderByDescending(item => item.EventName, StringComparer.Ordinal));
        Assert.All(report.Events.Take(2), item => Assert.Contains(EvidenceSeverity.Persistence, item.Flags));
        Assert.Equal(2, report.Summary.Persistence);
        Assert.Equal(2, report.Summary.PersistenceItems.Count);
        Assert.Contains(report.Events, item => item.EventName == "ListBuckets" && item.AccessKeyId == console.AccessKeyId);
        Assert.Contains(report.Events, item => item.EventName == "ListBuckets" && item.AccessKeyId == session.AccessKeyId);
        Assert.All(report.Events.Skip(2), item => Assert.DoesNotContain(EvidenceSeverity.Persistence, item.Flags));
        Assert.All(report.Events, item => Assert.EndsWith(sessionArn.Split(':')[^1], (string?)item.Raw.GetProperty("userIdentity").GetProperty("arn").GetString()));
        AssertMostSevereFirstThenByTime(report.Events);
    }

    [Fact]
    public async Task TheBrokerAsksStsForAGrantTagThatSurvivesRoleChaining()
    {
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await engineer.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);

        var recorded = await new LocalAwsTestClient(fixture.Front!.BaseUrl).RecordedAsync(fixture.Aws.BrokerAccessKeyId);

        var assumeRole = recorded
            .Select(item => JsonNode.Parse(item.CloudTrailEvent!)!)
            .Single(record => (string?)record["eventName"] == "AssumeRole"
                              && (string?)record["requestParameters"]!["tags"]![0]!["value"] == (string)created["id"]!);
        Assert.Equal(["breakglass-grant"], assumeRole["requestParameters"]!["transitiveTagKeys"]!.AsArray().Select(key => (string?)key));
        Assert.Equal("breakglass-grant", (string?)assumeRole["requestParameters"]!["tags"]![0]!["key"]);
        Assert.NotNull((string?)assumeRole["requestParameters"]!["sourceIdentity"]);
    }

    /// <summary>Another session of <paramref name="role"/> under <paramref name="sessionName"/>, with its own key, minted by the broker.</summary>
    private async Task<RecordedSession> ConsoleSessionAsync(string role, string sessionName, string grantId)
    {
        using var sts = new AmazonSecurityTokenServiceClient(
            new BasicAWSCredentials(fixture.Aws.BrokerAccessKeyId, fixture.Aws.BrokerSecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.Front!.BaseUrl.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = fixture.RoleArnOf(role),
            RoleSessionName = sessionName,
            DurationSeconds = 900,
            Tags = [new Tag { Key = "breakglass-grant", Value = grantId }],
        });
        return new RecordedSession(fixture.Front.BaseUrl, new JsonObject
        {
            ["accessKeyId"] = assumed.Credentials.AccessKeyId,
            ["secretAccessKey"] = assumed.Credentials.SecretAccessKey,
            ["sessionToken"] = assumed.Credentials.SessionToken,
        });
    }

    [Fact]
    public async Task TheSweeperCollectsEvidenceWhoseJobsWereLost()
    {
        var role = fixture.TakeDedicatedRole();
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await engineer.BreakGlassAsync(role)).ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        var session = SessionEvents.Spread((string)created["credentials"]!["accessKeyId"]!, 30,
            DateTimeOffset.Parse((string)created["requestedAt"]!).ToUniversalTime(), DateTimeOffset.UtcNow);
        await new LocalAwsTestClient(fixture.Front!.BaseUrl).SeedAsync(session);

        await (await engineer.RevokeAsync(id)).ReadObjectAsync(HttpStatusCode.OK);
        // Lose both scheduled passes the way a storage accident would: the sweeper alone must collect.
        Assert.Equal(2, await Database.ExecuteAsync(fixture.ConnectionString,
            "DELETE FROM hangfire.job WHERE invocationdata::text LIKE '%EvidencePassJob%' AND arguments::text LIKE @pattern", ("pattern", $"%{id}%")));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var report = EvidenceApiClient.ToReport(await reviewer.WaitForEvidenceAsync(id, EvidenceCompleteness.Complete, UntilComplete));

        Assert.Equal(SessionEvents.IdsOf(session).Order(StringComparer.Ordinal), report.Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
        Assert.Equal("AwaitingReview", (await reviewer.GetGrantAsync(id)).Status);
    }

    [Fact]
    public async Task BeforeItsFirstPassAGrantsEvidenceIsNoneWithTheHashOfNothing()
    {
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var created = await (await engineer.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var report = EvidenceApiClient.ToReport(await reviewer.GetEvidenceAsync((string)created["id"]!));

        Assert.Equal(EvidenceCompleteness.None, report.Completeness);
        Assert.Empty(report.Events);
        Assert.Null(report.FirstPassAt);
        Assert.Equal(EvidenceHash.Compute(report.GrantId, EvidenceCompleteness.None, null, null, []), report.Sha256);
    }

    [Fact]
    public async Task EvidenceOfAGrantThatDoesNotExistIsANotFoundProblem()
    {
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        var response = await auditor.GetAsync($"/api/grants/{Guid.CreateVersion7()}/evidence");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>Calls after the grant ended first, then events that create lasting access, then most severe first, then by time.</summary>
    internal static void AssertMostSevereFirstThenByTime(IReadOnlyList<EvidenceEvent> events)
    {
        var severities = EvidenceSeverity.Ordered.Select((severity, index) => (severity, index)).ToDictionary(pair => pair.severity, pair => pair.index);
        (int, int, int) Rank(EvidenceEvent item) =>
            (EvidenceSummaries.IsAfterEnd(item) ? 0 : 1, EvidenceSummaries.IsPersistence(item) ? 0 : 1, severities[item.Severity]);
        for (var index = 1; index < events.Count; index++)
        {
            var (previous, current) = (events[index - 1], events[index]);
            var order = Rank(previous).CompareTo(Rank(current));
            Assert.True(order < 0 || (order == 0 && previous.EventTime <= current.EventTime),
                $"event {index} ({current.Severity} {string.Join(",", current.Flags)} at {current.EventTime:O}) is out of order after " +
                $"{previous.Severity} {string.Join(",", previous.Flags)} at {previous.EventTime:O}");
        }
    }

    private Task<string[]> AuditTypesAsync(string grantId) => RevokedGrants.EvidenceAuditTypesAsync(fixture.ConnectionString, Guid.Parse(grantId));
}
