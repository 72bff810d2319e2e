using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Reviews;

internal sealed record ClosedGrant(string Id, string Requester, JsonObject Evidence);

internal static class ClosedGrants
{
    /// <summary>Breaks glass, does something risky with the credentials, ends the grant and waits for complete evidence.</summary>
    public static async Task<ClosedGrant> CreateAsync(ReviewFixture fixture, string? requester = null, params string[] extraGroups)
    {
        requester ??= TestIdentityProvider.NewUser();
        using var client = fixture.Client(fixture.Idp.Token(requester, [TestIdentityProvider.RequesterGroup, .. extraGroups]));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("watcher")));
        // moto ignores policy conditions: a revoked grant on a shared role would refuse every later session of it.
        var created = await (await client.BreakGlassAsync(fixture.TakeDedicatedRole(), reason: "Payments are failing: rotating the worker policy"))
            .ReadObjectAsync(HttpStatusCode.Created);
        var id = (string)created["id"]!;
        using (var session = new RecordedSession(fixture.AwsEndpoint, created["credentials"]!))
        {
            await session.S3.PutBucketAsync($"incident-{Guid.NewGuid():N}"[..30]);
            await session.S3.ListBucketsAsync();
            await session.IamAsync("PutRolePolicy", ("RoleName", fixture.Aws.RoleArns[1].Split('/')[^1]), ("PolicyName", "hotfix"),
                ("PolicyDocument", RecordedSession.AllowAll));
        }
        await (await client.RevokeAsync(id, "payments recovered")).ReadObjectAsync(HttpStatusCode.OK);
        var evidence = await reviewer.WaitForEvidenceAsync(id, "complete", Eventually.Patience);
        await reviewer.WaitForStatusAsync(id, "AwaitingReview", Eventually.Patience);
        return new ClosedGrant(id, requester, evidence);
    }
}
