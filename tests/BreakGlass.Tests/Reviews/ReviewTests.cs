using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BreakGlass.Grants;
using BreakGlass.Reviews;
using Dapper;
using Npgsql;
using Hangfire;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Reviews;

public sealed class ReviewTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task AClosedGrantWithCompleteEvidenceIsPendingReviewWithItsSummary()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var pending = JsonNode.Parse(await reviewer.GetStringAsync("/api/reviews?status=pending&limit=500"))!.AsArray();

        var item = Assert.Single(pending, entry => (string?)entry!["grant"]!["id"] == grant.Id)!;
        Assert.Equal("complete", (string?)item["evidenceCompleteness"]);
        Assert.Equal((string?)grant.Evidence["sha256"], (string?)item["evidenceSha256"]);
        Assert.True((int)item["evidenceSummary"]!["bySeverity"]!["critical"]! >= 1);
        Assert.False((bool)item["overdue"]!);
        Assert.Null(item["decision"]);
    }

    [Fact]
    public async Task AnotherReviewerSignsOffOnceAndTheDecisionIsAuditedAndQueuedForTheTicket()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer("cto@example.com"));
        var sha = (string)grant.Evidence["sha256"]!;

        var decided = await (await DecideAsync(reviewer, grant.Id, "approved", "Policy rotation as described in the reason.", sha)).ReadObjectAsync(HttpStatusCode.OK);
        var again = await DecideAsync(reviewer, grant.Id, "approved", "approving twice", sha);

        Assert.Equal("approved", (string?)decided["decision"]);
        Assert.Equal(TestIdentityProvider.SubjectOf("cto@example.com"), (string?)decided["reviewer"]);
        Assert.Equal(sha, (string?)decided["evidenceSha256"]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("Approved", (await reviewer.GetGrantAsync(grant.Id)).Status);
        var done = JsonNode.Parse(await reviewer.GetStringAsync("/api/reviews?status=done&limit=500"))!.AsArray();
        Assert.Contains(done, entry => (string?)entry!["grant"]!["id"] == grant.Id && (string?)entry["decision"]!["decision"] == "approved");
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM audit_events WHERE grant_id = @id AND event_type = 'review.decided' AND actor = @cto", ("id", Guid.Parse(grant.Id)), ("cto", TestIdentityProvider.SubjectOf("cto@example.com"))));
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM ticket_actions WHERE grant_id = @id AND dedupe_key = 'review-decision'", ("id", Guid.Parse(grant.Id))));
        // The closing comment anchors the audit chain outside the database: the head as the decision committed.
        var anchor = await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT 'event ' || sequence || ', hash `' || hash || '`' FROM audit_events WHERE grant_id = @id AND event_type = 'review.decided'",
            ("id", Guid.Parse(grant.Id)));
        Assert.Contains($"Audit chain head: {anchor}", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT body FROM ticket_actions WHERE grant_id = @id AND dedupe_key = 'review-decision'", ("id", Guid.Parse(grant.Id))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NobodyReviewsTheirOwnGrantNotEvenAReviewer()
    {
        var cto = TestIdentityProvider.NewUser("cto");
        var grant = await ClosedGrants.CreateAsync(fixture, cto, TestIdentityProvider.ReviewerGroup);
        using var self = fixture.Client(fixture.Idp.Token(cto, TestIdentityProvider.RequesterGroup, TestIdentityProvider.ReviewerGroup));

        var response = await DecideAsync(self, grant.Id, "approved", "looks fine to me", (string)grant.Evidence["sha256"]!);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("AwaitingReview", (await self.GetGrantAsync(grant.Id)).Status);
    }

    [Fact]
    public async Task AnotherReviewersEmailInYourTokenDoesNotLetYouSignOffYourOwnGrant()
    {
        var cto = TestIdentityProvider.NewUser("cto");
        var grant = await ClosedGrants.CreateAsync(fixture, cto, TestIdentityProvider.ReviewerGroup);
        using var disguised = fixture.Client(fixture.Idp.TokenWithClaims(new Dictionary<string, object>
        {
            ["sub"] = TestIdentityProvider.SubjectOf(cto),
            ["email"] = TestIdentityProvider.NewUser("other-reviewer"),
            ["email_verified"] = true,
            ["groups"] = new[] { TestIdentityProvider.ReviewerGroup },
        }));

        var response = await DecideAsync(disguised, grant.Id, "approved", "looks fine to me", (string)grant.Evidence["sha256"]!);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AwaitingReview", (await disguised.GetGrantAsync(grant.Id)).Status);
    }

    [Fact]
    public async Task AStaleEvidenceHashIsRefused()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var response = await DecideAsync(reviewer, grant.Id, "approved", "ok", new string('a', 64));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("changed since you looked", await response.Content.ReadAsStringAsync());
        Assert.Equal(0L, await Database.ScalarAsync<long>(fixture.ConnectionString, "SELECT count(*) FROM reviews WHERE grant_id = @id", ("id", Guid.Parse(grant.Id))));
    }

    [Theory]
    [InlineData("flagged", null, "notes")]
    [InlineData("maybe", "x", "decision")]
    [InlineData("approved", "x", "evidenceSha256")]
    public async Task ABadDecisionIsAClearProblem(string decision, string? notes, string field)
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        var sha = field == "evidenceSha256" ? "not-a-hash" : (string)grant.Evidence["sha256"]!;

        var response = await DecideAsync(reviewer, grant.Id, decision, notes, sha);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AFlagAfterAnApprovalSupersedesItAndBothStayOnRecordInTheChainAndOnTheTicket()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var approver = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        using var flagger = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("security")));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        var sha = (string)grant.Evidence["sha256"]!;
        await (await DecideAsync(approver, grant.Id, "approved", "Looked routine.", sha)).ReadObjectAsync(HttpStatusCode.OK);

        var withoutNotes = await DecideAsync(flagger, grant.Id, "flagged", null, sha);
        var flag = await (await DecideAsync(flagger, grant.Id, "flagged", "The hotfix policy allows everything and is still attached.", sha)).ReadObjectAsync(HttpStatusCode.OK);
        var approvalAfterFlag = await DecideAsync(approver, grant.Id, "approved", "It was fine.", sha);

        Assert.Equal(HttpStatusCode.BadRequest, withoutNotes.StatusCode);
        Assert.Equal(("flagged", "approved"), ((string?)flag["decision"], (string?)flag["supersedes"]));
        Assert.Equal(HttpStatusCode.Conflict, approvalAfterFlag.StatusCode);
        Assert.Contains("an approval never replaces it", await approvalAfterFlag.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("Flagged", (await approver.GetGrantAsync(grant.Id)).Status);
        var id = ("id", (object)Guid.Parse(grant.Id));
        Assert.Equal("approved,flagged", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT string_agg(decision, ',' ORDER BY decided_at) FROM reviews WHERE grant_id = @id", id));
        Assert.Equal("approved,flagged", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT string_agg(data::jsonb->>'decision', ',' ORDER BY sequence) FROM audit_events WHERE grant_id = @id AND event_type = 'review.decided'", id));
        Assert.Contains("supersedes the approval", await Database.ScalarAsync<string>(fixture.ConnectionString,
            "SELECT body FROM ticket_actions WHERE grant_id = @id AND dedupe_key = 'review-decision:flagged'", id), StringComparison.Ordinal);
        Assert.True((bool)JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!["ok"]!);

        // The register shows the current decision and its history; filtering by decision follows the current one.
        var flagged = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/grants?decision=flagged&pageSize=1000"))!["items"]!.AsArray();
        var entry = Assert.Single(flagged, item => (string?)item!["grant"]!["id"] == grant.Id)!;
        Assert.Equal("flagged", (string?)entry["review"]!["decision"]);
        Assert.Equal(["approved", "flagged"], entry["reviewHistory"]!.AsArray().Select(item => (string?)item!["decision"]));
        var approved = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/grants?decision=approved&pageSize=1000"))!["items"]!.AsArray();
        Assert.DoesNotContain(approved, item => (string?)item!["grant"]!["id"] == grant.Id);
        var csv = RfcCsv.Parse(await auditor.GetStringAsync("/api/audit/grants?decision=flagged&pageSize=1000&format=csv"));
        var row = csv.Single(cells => cells[0] == grant.Id);
        Assert.Matches("^approved by .+ at .+; flagged by .+ at .+$", row[csv[0].IndexOf("review_history")]);
    }

    [Fact]
    public async Task TheDatabaseRefusesAnApprovalAfterAFlag()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        await (await DecideAsync(reviewer, grant.Id, "flagged", "Unexplained IAM change.", (string)grant.Evidence["sha256"]!)).ReadObjectAsync(HttpStatusCode.OK);

        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Database.ExecuteAsync(fixture.ConnectionString,
            "INSERT INTO reviews (grant_id, decision, reviewer, decided_at, evidence_sha256) SELECT grant_id, 'approved', 'x', now(), evidence_sha256 FROM reviews WHERE grant_id = @id",
            ("id", Guid.Parse(grant.Id))));

        Assert.Contains("an approval never replaces a flag", refused.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGrantStillCollectingEvidenceSaysWhenItCanBeReviewed()
    {
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        var now = DateTimeOffset.UtcNow;
        var finalPassDueAt = new DateTimeOffset(now.Year + 1, 3, 14, 9, 30, 0, TimeSpan.Zero);
        var grant = new Grant(Guid.CreateVersion7(), GrantStatus.Revoked, TestIdentityProvider.NewUser(), BreakGlassFixture.AdminRole,
            "arn:aws:iam::123456789012:role/prod-admin", "Payments are failing, restarting the workers", null, now.AddHours(-1), now.AddMinutes(-30),
            now.AddMinutes(-30), now.AddMinutes(-30), "breakglass", "the grant window ended", 0, null, "engineer");
        await using (var connection = new NpgsqlConnection(fixture.ConnectionString))
        {
            await connection.OpenAsync();
            // One transaction: the evidence sweeper plans a revoked grant it finds without evidence, and must not see this one alone.
            await using var transaction = await connection.BeginTransactionAsync();
            await GrantStore.InsertAsync(connection, grant, transaction);
            // Passes due far ahead, so nothing collects this grant's evidence while the test asks.
            await connection.ExecuteAsync(
                """
                INSERT INTO evidence (grant_id, first_pass_due_at, final_pass_due_at, sha256, rules_version, summary)
                VALUES (@Id, @finalPassDueAt, @finalPassDueAt, repeat('0', 64), 1, '{}')
                """, new { grant.Id, finalPassDueAt }, transaction);
            await transaction.CommitAsync();
        }

        var response = await DecideAsync(reviewer, grant.Id.ToString(), "approved", "early", new string('0', 64));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var detail = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"];
        Assert.Equal($"Grant {grant.Id} is not ready for review yet: its evidence is not collected yet, and the final collection pass is due at " +
                     $"{finalPassDueAt.Year}-03-14 09:30:00 UTC. Review it after that.", detail);
    }

    [Fact]
    public async Task AnOpenGrantCannotBeReviewedYet()
    {
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        var created = await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);

        var response = await DecideAsync(reviewer, (string)created["id"]!, "approved", "early", new string('0', 64));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task AReviewTurnsOverdueAndTheDailyReminderSaysSoOnceADay()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        // Two days later, as far as the queue can tell.
        await Database.ExecuteAsync(fixture.ConnectionString,
            "UPDATE evidence SET final_pass_at = final_pass_at - interval '2 days' WHERE grant_id = @id", ("id", Guid.Parse(grant.Id)));

        var overdue = JsonNode.Parse(await reviewer.GetStringAsync("/api/reviews?status=overdue&limit=500"))!.AsArray();
        var pending = JsonNode.Parse(await reviewer.GetStringAsync("/api/reviews?status=pending&limit=500"))!.AsArray();
        Assert.Contains(overdue, entry => (string?)entry!["grant"]!["id"] == grant.Id && (bool)entry["overdue"]!);
        Assert.DoesNotContain(pending, entry => (string?)entry!["grant"]!["id"] == grant.Id);

        var (_, jobs) = HangfireClients.For(fixture.ConnectionString);
        jobs.Enqueue<ReviewReminderJob>(job => job.RunAsync());
        jobs.Enqueue<ReviewReminderJob>(job => job.RunAsync());

        // Other tests' grants share the fixture, and a reminder may already have gone out for them: wait for this grant's.
        Assert.True(await Eventually.TrueAsync(() => fixture.WebhookBodies.Any(body => body.Contains(grant.Id, StringComparison.Ordinal)), Eventually.Patience));
        Assert.True(await Eventually.TrueAsync(() => fixture.Log.Any(line => line.Contains("Reviews waiting:", StringComparison.Ordinal)), Eventually.Patience));
        Assert.Equal(1L, await Database.ScalarAsync<long>(fixture.ConnectionString,
            "SELECT count(*) FROM ticket_actions WHERE grant_id = @id AND dedupe_key LIKE 'review-overdue:%'", ("id", Guid.Parse(grant.Id))));
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, string grantId, string decision, string? notes, string sha) =>
        client.PostAsJsonAsync($"/api/reviews/{grantId}/decision", new { decision, notes, evidenceSha256 = sha });
}
