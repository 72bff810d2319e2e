using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Observability;

public sealed class MetricsTests(MetricsFixture fixture) : IClassFixture<MetricsFixture>
{
    private const string LagCount = "breakglass_revocation_lag_seconds_count";

    [Fact]
    public async Task AGrantsLifecycleIsCountedIssuedOpenAndRevokedWithItsLag()
    {
        var role = fixture.TakeDedicatedRole();
        using var scraper = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var before = await scraper.ScrapeAsync();
        var openBefore = before.Value("breakglass_open_grants");

        var created = await (await engineer.BreakGlassAsync(role, minutes: 30)).ReadObjectAsync(HttpStatusCode.Created);

        Assert.True(await Eventually.TrueAsync(async () =>
        {
            var now = await scraper.ScrapeAsync();
            return now.Value("breakglass_grants_issued_total", ("role", role)) == before.Value("breakglass_grants_issued_total", ("role", role)) + 1
                   && now.Value("breakglass_open_grants") == openBefore + 1;
        }, Eventually.Patience), "the issued grant was not counted, or open grants did not rise by one");

        await (await engineer.RevokeAsync((string)created["id"]!)).ReadObjectAsync(HttpStatusCode.OK);

        Exposition after = null!;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            after = await scraper.ScrapeAsync();
            return after.Value(LagCount, ("role", role)) == before.Value(LagCount, ("role", role)) + 1
                   && after.Value("breakglass_open_grants") == openBefore;
        }, Eventually.Patience), "the verified deny was not measured, or open grants did not come back down");
        // One observation: in the +Inf bucket, with a lag that is not negative.
        Assert.Equal(1, after.Value("breakglass_revocation_lag_seconds_bucket", ("role", role), ("le", "+Inf")));
        Assert.True(after.Value("breakglass_revocation_lag_seconds_sum", ("role", role)) >= 0);
        Assert.Equal(0, after.Value("breakglass_revocation_failures_total", ("role", role)));
        Assert.Equal(before.Value("breakglass_grants_issued_total", ("role", role)) + 1, after.Value("breakglass_grants_issued_total", ("role", role)));
    }

    [Fact]
    public async Task RefusedRequestsAreCountedByRoleAndReasonWithoutTurningInputIntoLabels()
    {
        using var scraper = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));
        using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        var unknownRole = $"no-such-role-{Guid.NewGuid():N}";
        (string, string)[] notEligible = [("role", BreakGlassFixture.LeadsOnlyRole), ("reason", "not-eligible")];
        (string, string)[] unknown = [("role", "(unknown)"), ("reason", "invalid-request")];
        var before = await scraper.ScrapeAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await engineer.BreakGlassAsync(BreakGlassFixture.LeadsOnlyRole)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await engineer.BreakGlassAsync(unknownRole)).StatusCode);

        Exposition after = null!;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            after = await scraper.ScrapeAsync();
            return after.Value("breakglass_grants_refused_total", notEligible) == before.Value("breakglass_grants_refused_total", notEligible) + 1
                   && after.Value("breakglass_grants_refused_total", unknown) == before.Value("breakglass_grants_refused_total", unknown) + 1;
        }, Eventually.Patience), "the refusals were not counted by role and reason");
        Assert.DoesNotContain(after.Samples, sample => sample.Labels.Values.Contains(unknownRole));
        Assert.Equal(before.Value("breakglass_grants_issued_total"), after.Value("breakglass_grants_issued_total"));
    }

    [Fact]
    public async Task TheGaugesOfEveryOwnerAreExportedFromTheDatabase()
    {
        using var scraper = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        Exposition scrape = null!;
        Assert.True(await Eventually.TrueAsync(async () =>
        {
            scrape = await scraper.ScrapeAsync();
            return scrape.Has("breakglass_reviews_overdue") && scrape.Has("breakglass_preflight_failing");
        }, Eventually.Patience), "the gauges never appeared");

        Assert.Single(scrape.Matching("breakglass_outbox_oldest_age_seconds", ("outbox", "tickets")));
        Assert.Single(scrape.Matching("breakglass_outbox_backlog", ("outbox", "tickets")));
        Assert.Single(scrape.Matching("breakglass_outbox_oldest_age_seconds", ("outbox", "notifications")));
        Assert.Single(scrape.Matching("breakglass_outbox_backlog", ("outbox", "notifications")));
        Assert.Single(scrape.Matching("breakglass_open_grants"));
        Assert.Single(scrape.Matching("breakglass_revocation_failed_grants"));
        Assert.Single(scrape.Matching("breakglass_reviews_pending"));
        Assert.Equal(0, scrape.Value("breakglass_reviews_overdue"));
        Assert.Equal(0, scrape.Value("breakglass_revocation_failed_grants"));
    }

    [Fact]
    public async Task MetricsAreNotAnonymousUnlessConfigured()
    {
        using var anonymous = fixture.Client(token: null);
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await requester.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/metrics")).StatusCode);
    }
}
