using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace BreakGlass.Tests.WrittenPolicy;

/// <summary>
/// The policy through the running service: each test starts an instance with a configuration of its own (a distinct
/// review deadline), so its version is new to the database whatever ran before.
/// </summary>
public sealed class PolicyApiTests(BreakGlassFixture fixture) : IClassFixture<BreakGlassFixture>
{
    [Fact]
    public async Task AnyoneSignedInReadsThePolicyAsJsonOrMarkdown()
    {
        using var nobody = fixture.Client(fixture.Idp.Token(TestIdentityProvider.NewUser("staff"), "marketing"));
        using var anonymous = fixture.Client(null);

        var policy = await (await nobody.GetAsync("/api/policy")).ReadObjectAsync(HttpStatusCode.OK);
        using var markdownRequest = new HttpRequestMessage(HttpMethod.Get, "/api/policy");
        markdownRequest.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/markdown"));
        var markdown = await nobody.SendAsync(markdownRequest);

        Assert.Matches("^[0-9a-f]{64}$", (string)policy["version"]!);
        Assert.Contains((string)policy["status"]!, new[] { "pending", "approved" });
        Assert.Contains($"| `{BreakGlassFixture.AdminRole}` |", (string)policy["markdown"]!, StringComparison.Ordinal);
        Assert.Equal(BreakGlassFixture.AdminRole, (string?)policy["policy"]!["roles"]!.AsArray().Select(role => role!["name"]).First(name => (string?)name == BreakGlassFixture.AdminRole));
        Assert.Equal(HttpStatusCode.OK, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.Content.Headers.ContentType?.MediaType);
        Assert.Equal((string)policy["markdown"]!, await markdown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/policy")).StatusCode);
    }

    [Fact]
    public async Task TheVersionSurvivesARestartAndChangesWhenARoleChanges()
    {
        var first = await StartWithAsync(("Review__DueAfterHours", "31"));
        var restarted = await StartWithAsync();
        var shorter = await StartWithAsync(("Roles__0__MaxDurationMinutes", "120"));
        var widened = await StartWithAsync(("Roles__0__AllowedGroups__1", BreakGlassFixture.LeadsGroup));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        Assert.Equal(first.Version, restarted.Version);
        Assert.Equal("pending", restarted.Status);
        Assert.NotEqual(first.Version, shorter.Version);
        Assert.Contains($"| `{BreakGlassFixture.AdminRole}` | ", shorter.Markdown, StringComparison.Ordinal);
        Assert.Contains(" | 2 h | optional |", shorter.Markdown, StringComparison.Ordinal);
        Assert.NotEqual(shorter.Version, widened.Version);
        Assert.NotEqual(first.Version, widened.Version);
        var history = JsonNode.Parse(await auditor.GetStringAsync("/api/policy/history"))!.AsArray();
        var versions = history.Select(item => (string)item!["version"]!).ToList();
        Assert.True(versions.IndexOf(first.Version) < versions.IndexOf(shorter.Version) && versions.IndexOf(shorter.Version) < versions.IndexOf(widened.Version),
            $"{first.Version} / {restarted.Version} / {shorter.Version} / {widened.Version}: {string.Join("\n", history.Select(item => $"{item!["version"]} {item["firstSeenAt"]} {item["status"]}"))}");
        Assert.Equal(versions.Distinct().Count(), versions.Count);
        Assert.Equal([widened.Version], history.Where(item => (bool)item!["inForce"]!).Select(item => (string)item!["version"]!));
        // Two instances ran the first configuration; it was recorded, with its audit event, once.
        Assert.Equal(1, await RecordedEventsAsync("policy.recorded", first.Version));
        Assert.Equal(1, await RecordedEventsAsync("policy.recorded", widened.Version));
    }

    [Fact]
    public async Task TheReviewerWhoMadeTheChangeCannotApproveItAndAnotherReviewerCan()
    {
        var changer = TestIdentityProvider.NewUser("changer");
        PolicyState policy;
        try
        {
            policy = await StartWithAsync(("Review__DueAfterHours", "37"), ("Policy__ChangedBy", changer));
        }
        finally
        {
            fixture.Overrides.Remove("Policy__ChangedBy");
        }
        using var changerClient = fixture.Client(fixture.Idp.Reviewer(changer));
        using var otherReviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));
        using var thirdReviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));
        using var requester = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser()));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        var byChanger = await changerClient.PostAsync($"/api/policy/{policy.Version}/approval", null);
        var byRequester = await requester.PostAsync($"/api/policy/{policy.Version}/approval", null);
        var approved = await (await otherReviewer.PostAsync($"/api/policy/{policy.Version}/approval", null)).ReadObjectAsync(HttpStatusCode.OK);
        var repeated = await (await otherReviewer.PostAsync($"/api/policy/{policy.Version}/approval", null)).ReadObjectAsync(HttpStatusCode.OK);
        var byThird = await thirdReviewer.PostAsync($"/api/policy/{policy.Version}/approval", null);
        var unknown = await otherReviewer.PostAsync($"/api/policy/{new string('0', 64)}/approval", null);
        var malformed = await otherReviewer.PostAsync("/api/policy/not-a-version/approval", null);

        Assert.Equal(changer, policy.ChangedBy);
        var refusal = await byChanger.ReadObjectAsync(HttpStatusCode.Forbidden);
        Assert.Contains("another reviewer must approve", (string)refusal["detail"]!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, byRequester.StatusCode);
        Assert.Equal("approved", (string)approved["status"]!);
        Assert.Equal((string)approved["approvedAt"]!, (string)repeated["approvedAt"]!);
        Assert.Contains("already approved", (string)(await byThird.ReadObjectAsync(HttpStatusCode.Conflict))["detail"]!, StringComparison.Ordinal);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        await unknown.ReadObjectAsync(HttpStatusCode.NotFound);
        await malformed.ReadObjectAsync(HttpStatusCode.BadRequest);
        var inForce = await (await otherReviewer.GetAsync("/api/policy")).ReadObjectAsync(HttpStatusCode.OK);
        Assert.Equal(("approved", (string?)approved["approvedBy"]), ((string)inForce["status"]!, (string?)inForce["approvedBy"]));
        var history = JsonNode.Parse(await auditor.GetStringAsync("/api/policy/history"))!.AsArray();
        var entry = history.Single(item => (string?)item!["version"] == policy.Version)!;
        Assert.Equal(((string?)approved["approvedBy"], changer), ((string?)entry["approvedBy"], (string?)entry["changedBy"]));
        Assert.Equal(1, await RecordedEventsAsync("policy.approved", policy.Version));
    }

    [Fact]
    public async Task GrantsCarryThePolicyInForceAndTheRegisterAndPackFlagOnesIssuedUnderAnUnapprovedVersion()
    {
        var policy = await StartWithAsync(("Review__DueAfterHours", "43"));
        var engineer = TestIdentityProvider.NewUser();
        using var requester = fixture.Client(fixture.Idp.Requester(engineer));
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("reviewer")));
        using var auditor = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")));

        var early = await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var earlyId = (string)early["id"]!;
        var before = await RegisterEntryAsync(auditor, engineer, earlyId);
        var csvBefore = RfcCsv.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}&format=csv"));
        await (await reviewer.PostAsync($"/api/policy/{policy.Version}/approval", null)).ReadObjectAsync(HttpStatusCode.OK);
        var late = await (await requester.BreakGlassAsync(BreakGlassFixture.AdminRole)).ReadObjectAsync(HttpStatusCode.Created);
        var after = await RegisterEntryAsync(auditor, engineer, earlyId);
        var lateEntry = await RegisterEntryAsync(auditor, engineer, (string)late["id"]!);
        var pack = Unzip(await auditor.GetByteArrayAsync($"/api/audit/grants/{earlyId}/export"));

        Assert.Equal(policy.Version, (string?)early["policyVersion"]);
        Assert.Equal(policy.Version, (string?)(await (await requester.GetAsync($"/api/grants/{earlyId}")).ReadObjectAsync(HttpStatusCode.OK))["policyVersion"]);
        Assert.Equal(policy.Version, (string?)late["policyVersion"]);
        Assert.Equal((policy.Version, "unapproved", true), Standing(before));
        Assert.Equal((policy.Version, "approved-after-issue", true), Standing(after));
        Assert.Equal((policy.Version, "approved", false), Standing(lateEntry));
        var header = csvBefore[0];
        var row = csvBefore.Single(fields => fields[0] == earlyId);
        Assert.Equal((policy.Version, "unapproved"), (row[header.IndexOf("policy_version")], row[header.IndexOf("policy_status")]));
        var chain = JsonNode.Parse(pack["grant.json"])!;
        Assert.Equal("approved-after-issue", (string?)chain["policy"]!["status"]);
        Assert.True((bool)chain["policy"]!["unapprovedAtIssue"]!);
        Assert.Contains($"version {policy.Version}: NOT APPROVED when this grant was issued", pack["report.html"], StringComparison.Ordinal);
        var requested = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants/{earlyId}"))!["auditEvents"]!.AsArray()
            .Single(e => (string?)e!["eventType"] == "grant.requested")!;
        Assert.Equal(policy.Version, (string?)requested["data"]!["policyVersion"]);
    }

    private sealed record PolicyState(string Version, string Status, string Markdown, string? ChangedBy);

    /// <summary>Starts an instance with these settings added to the class's configuration and reads the policy it enforces.</summary>
    private async Task<PolicyState> StartWithAsync(params (string Key, string Value)[] settings)
    {
        foreach (var (key, value) in settings) fixture.Overrides[key] = value;
        var instance = await fixture.StartInstanceAsync();
        using var client = fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor")), instance);
        var policy = await (await client.GetAsync("/api/policy")).ReadObjectAsync(HttpStatusCode.OK);
        return new PolicyState((string)policy["version"]!, (string)policy["status"]!, (string)policy["markdown"]!, (string?)policy["changedBy"]);
    }

    private async Task<long> RecordedEventsAsync(string eventType, string version)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM audit_events WHERE event_type = @eventType AND data::jsonb ->> 'version' = @version", new { eventType, version });
    }

    private static async Task<JsonNode> RegisterEntryAsync(HttpClient auditor, string engineer, string grantId) =>
        JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants?requester={Uri.EscapeDataString(engineer)}"))!["items"]!.AsArray()
            .Single(item => (string?)item!["grant"]!["id"] == grantId)!;

    private static (string?, string?, bool) Standing(JsonNode entry) =>
        ((string?)entry["policy"]!["version"], (string?)entry["policy"]!["status"], (bool)entry["policy"]!["unapprovedAtIssue"]!);

    private static Dictionary<string, string> Unzip(byte[] pack)
    {
        using var zip = new ZipArchive(new MemoryStream(pack));
        return zip.Entries.ToDictionary(entry => entry.Name, entry =>
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        });
    }
}
