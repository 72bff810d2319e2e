using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.Evidence;
using BreakGlass.Tests.CloudTrail;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Evidence;

/// <summary>LookupEvents throttles at 1 request/s while BreakGlass paces itself to 2: collection slows down, it never fails.</summary>
public sealed class EvidenceThrottlingTests(ThrottlingEvidenceFixture fixture) : IClassFixture<ThrottlingEvidenceFixture>
{
    [Fact]
    public async Task SeveralGrantsCollectedAtOnceAllCompleteDespiteThrottling()
    {
        var grants = new List<(string Id, List<JsonObject> Session)>();
        var localAws = new LocalAwsTestClient(fixture.Front!.BaseUrl);
        for (var index = 0; index < 4; index++)
        {
            using var engineer = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
            var created = await (await engineer.BreakGlassAsync(fixture.TakeDedicatedRole())).ReadObjectAsync(HttpStatusCode.Created);
            var requestedAt = DateTimeOffset.Parse((string)created["requestedAt"]!).ToUniversalTime();
            var session = SessionEvents.Spread((string)created["credentials"]!["accessKeyId"]!, 120, requestedAt, DateTimeOffset.UtcNow);
            await localAws.SeedAsync([.. session, .. SessionEvents.Spread(LocalAwsTestClient.NewAccessKeyId(), 60, requestedAt, DateTimeOffset.UtcNow)]);
            grants.Add(((string)created["id"]!, session));
        }
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));

        var revoked = await Task.WhenAll(grants.Select(grant => reviewer.RevokeAsync(grant.Id)));
        Assert.All(revoked, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        var reports = await Task.WhenAll(grants.Select(grant =>
            reviewer.WaitForEvidenceAsync(grant.Id, EvidenceCompleteness.Complete, TimeSpan.FromMinutes(4))));

        foreach (var (grant, evidence) in grants.Zip(reports))
        {
            var report = EvidenceApiClient.ToReport(evidence);
            Assert.Equal(SessionEvents.IdsOf(grant.Session).Order(StringComparer.Ordinal), report.Events.Select(item => item.EventId).Order(StringComparer.Ordinal));
            Assert.Equal(report.Sha256, EvidenceHash.Of(report));
        }
        Assert.Contains(fixture.Log, line => line.Contains("ThrottlingException", StringComparison.Ordinal));
    }
}
