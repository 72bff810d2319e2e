using System.Net;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Audit;

/// <summary>A fixture of its own: the tamper test alters the chain for good.</summary>
public sealed class ChainVerificationTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task AnUntouchedChainVerifiesAndATamperedRowIsFoundExactly()
    {
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));
        for (var index = 0; index < 3; index++)
        {
            var created = await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
            await (await requester.RevokeAsync((string)created["id"]!)).ReadObjectAsync(HttpStatusCode.OK);
        }

        var clean = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!;
        Assert.True((bool)clean["ok"]!);
        var total = (long)clean["checked"]!;
        Assert.True(total >= 12);

        // A superuser can bypass the append-only trigger; the hash chain still gives it away.
        var target = total / 2;
        await Database.ExecuteAsync(fixture.ConnectionString,
            $"""
             ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete;
             UPDATE audit_events SET actor = 'mallory@example.com' WHERE sequence = {target};
             ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete;
             """);

        var tampered = JsonNode.Parse(await auditor.GetStringAsync("/api/audit/verify"))!;
        Assert.False((bool)tampered["ok"]!);
        Assert.Equal(target, (long)tampered["firstBrokenLink"]!["sequence"]!);
        Assert.Equal(target - 1, (long)tampered["checked"]!);
        Assert.Contains("altered", (string)tampered["firstBrokenLink"]!["problem"]!);
    }
}
