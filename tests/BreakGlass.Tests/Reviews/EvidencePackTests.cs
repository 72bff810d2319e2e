using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Reviews;

public sealed class EvidencePackTests(ReviewFixture fixture) : IClassFixture<ReviewFixture>
{
    [Fact]
    public async Task TheEvidencePackVerifiesWithSha256sumAndAChangedFileFailsIt()
    {
        var (grant, auditor) = await ReviewedGrantAsync();

        var pack = await auditor.GetByteArrayAsync($"/api/audit/grants/{grant.Id}/export");
        var directory = Unzip(pack);

        Assert.Equal(
            ["MANIFEST.sha256", "audit-events.json", "chain-head.json", "cloudtrail-events.jsonl", "grant.json", "least-privilege-suggestion.json",
             "report.html", "timeline.csv"],
            Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var verified = await ChildProcess.RunAsync("bash", ["-c", $"cd '{directory}' && sha256sum -c MANIFEST.sha256"]);
        Assert.Equal(7, verified.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.EndsWith(": OK", StringComparison.Ordinal)));
        Assert.Contains("least-privilege-suggestion.json: OK", verified, StringComparison.Ordinal);

        await File.AppendAllTextAsync(Path.Combine(directory, "timeline.csv"), "2026-01-01T00:00:00Z,forged,mallory,nothing,,,\r\n");
        var tampered = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ChildProcess.RunAsync("bash", ["-c", $"cd '{directory}' && sha256sum -c MANIFEST.sha256"]));
        Assert.Contains("timeline.csv: FAILED", tampered.Message);
    }

    [Fact]
    public async Task ThePackHoldsTheSessionsEventsTheTimelineAndAReadableReportWithTheSignOff()
    {
        var (grant, auditor) = await ReviewedGrantAsync();
        var directory = Unzip(await auditor.GetByteArrayAsync($"/api/audit/grants/{grant.Id}/export"));
        var events = grant.Evidence["events"]!.AsArray();

        var lines = File.ReadAllLines(Path.Combine(directory, "cloudtrail-events.jsonl"));
        Assert.Equal(events.Count, lines.Length);
        Assert.All(lines, line => Assert.Equal(events[0]!["accessKeyId"]!.GetValue<string>(), (string?)JsonNode.Parse(line)!["userIdentity"]!["accessKeyId"]));
        var timeline = RfcCsv.Parse(File.ReadAllText(Path.Combine(directory, "timeline.csv")));
        Assert.Equal(["time", "source", "actor", "event", "severity", "flags", "error", "resources", "detail"], timeline[0]);
        // The role policy the session put creates lasting access: it leads the timeline, names the role, and the rest follows by time.
        Assert.Equal(("cloudtrail", "iam.amazonaws.com:PutRolePolicy", "critical", "persistence"), (timeline[1][1], timeline[1][3], timeline[1][4], timeline[1][5]));
        Assert.Contains("AWS::IAM::Role ", timeline[1][7], StringComparison.Ordinal);
        Assert.Contains(timeline, row => row[3] == "s3.amazonaws.com:CreateBucket" && row[7].StartsWith("AWS::S3::Bucket incident-", StringComparison.Ordinal));
        Assert.Contains(timeline, row => row[1] == "breakglass" && row[3] == "review.decided");
        var rest = timeline.Skip(1).Where(row => !row[5].Split(' ').Contains("persistence")).Select(row => DateTimeOffset.Parse(row[0])).ToList();
        Assert.Equal(rest.Order(), rest);
        var report = await File.ReadAllTextAsync(Path.Combine(directory, "report.html"));
        Assert.Contains("<strong>approved</strong>", report);
        Assert.Contains("1 created lasting access", report);
        Assert.Contains("<h2>Summary</h2>", report);
        Assert.Contains("Payments are failing: rotating the worker policy", report);
        Assert.Contains("<td>created</td><td>AWS::S3::Bucket</td><td>incident-", report);
        Assert.DoesNotContain("ListBuckets", report[..report.IndexOf("informational events", StringComparison.Ordinal)]);
        var actions = report[report.IndexOf("What the session did", StringComparison.Ordinal)..];
        Assert.True(actions.IndexOf("PutRolePolicy", StringComparison.Ordinal) < actions.IndexOf("CreateBucket", StringComparison.Ordinal),
            "critical actions come before other changes");
        var chain = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "grant.json")))!;
        Assert.Equal(grant.Id, (string?)chain["grant"]!["id"]);
    }

    [Fact]
    public async Task ExportingTwiceGivesTheSameEvidenceBytesAndEachPackCarriesAChainHeadTheAuditorCanCheck()
    {
        var (grant, auditor) = await ReviewedGrantAsync();

        var first = Entries(await auditor.GetByteArrayAsync($"/api/audit/grants/{grant.Id}/export"));
        var second = Entries(await auditor.GetByteArrayAsync($"/api/audit/grants/{grant.Id}/export"));

        // The evidence is the same bytes; only the chain head may have moved on, if anything was audited in between.
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        foreach (var name in first.Keys.Where(name => name is not ("chain-head.json" or "MANIFEST.sha256")))
        {
            Assert.Equal(first[name], second[name]);
        }
        var lastOfGrant = JsonNode.Parse(first["audit-events.json"])!.AsArray().Max(e => (long)e!["sequence"]!);
        foreach (var pack in new[] { first, second })
        {
            var head = JsonNode.Parse(pack["chain-head.json"])!;
            Assert.True((long)head["sequence"]! >= lastOfGrant, "the head is read after the grant's own events");
            var check = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/verify?sequence={(long)head["sequence"]!}&hash={(string)head["hash"]!}"))!;
            Assert.True((bool)check["ok"]!);
            Assert.Equal("matches", (string?)check["anchor"]!["status"]);
        }
    }

    [Fact]
    public async Task TheReviewAndThePackSuggestAPolicyAllowingExactlyTheSessionsSuccessfulCalls()
    {
        var (grant, auditor) = await ReviewedGrantAsync();
        var bucket = grant.Evidence["events"]!.AsArray().Select(e => e!["touched"]!.AsArray())
            .Single(touched => touched.Any(t => (string?)t!["type"] == "AWS::S3::Bucket"))[0]!["name"]!.GetValue<string>();

        var suggestion = grant.Evidence["leastPrivilegeSuggestion"]!;
        var directory = Unzip(await auditor.GetByteArrayAsync($"/api/audit/grants/{grant.Id}/export"));
        var packed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "least-privilege-suggestion.json")))!;

        Assert.StartsWith("Suggestion, not a decision", (string?)suggestion["label"], StringComparison.Ordinal);
        Assert.Equal(3, (int)suggestion["basedOnEvents"]!);
        var policy = suggestion["policy"]!;
        Assert.Equal("2012-10-17", (string?)policy["Version"]);
        var allowed = policy["Statement"]!.AsArray()
            .SelectMany(statement => statement!["Action"]!.AsArray().Select(action => ((string)action!, string.Join(" ", statement["Resource"]!.AsArray().Select(r => (string)r!)))))
            .Order()
            .ToList();
        Assert.Equal([("iam:PutRolePolicy", "*"), ("s3:CreateBucket", $"arn:aws:s3:::{bucket}"), ("s3:ListAllMyBuckets", "*")], allowed);
        Assert.True(JsonNode.DeepEquals(suggestion, packed), "the pack holds the suggestion the review shows");
        Assert.Contains("Least-privilege suggestion", await File.ReadAllTextAsync(Path.Combine(directory, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFullChainLinksEveryStepToItsAuditEvent()
    {
        var (grant, auditor) = await ReviewedGrantAsync();

        var chain = JsonNode.Parse(await auditor.GetStringAsync($"/api/audit/grants/{grant.Id}"))!;

        var types = chain["auditEvents"]!.AsArray().Select(e => (string?)e!["eventType"]).ToList();
        Assert.Equal("grant.requested", types[0]);
        Assert.Contains("grant.issued", types);
        Assert.Contains("grant.revoked", types);
        Assert.Equal("review.decided", types[^1]);
        var credential = Assert.Single(chain["credentials"]!.AsArray())!;
        var issuedEvent = chain["auditEvents"]!.AsArray().Single(e => (string?)e!["eventType"] == "grant.issued")!;
        Assert.Equal((long)issuedEvent["sequence"]!, (long)credential["auditSequence"]!);
        Assert.Equal("complete", (string?)chain["evidence"]!["completeness"]);
        Assert.Equal((string?)grant.Evidence["sha256"], (string?)chain["review"]!["evidenceSha256"]);
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync($"/api/audit/grants/{Guid.NewGuid()}")).StatusCode);
    }

    private async Task<(ClosedGrant Grant, HttpClient Auditor)> ReviewedGrantAsync()
    {
        var grant = await ClosedGrants.CreateAsync(fixture);
        using var reviewer = fixture.Client(fixture.Idp.Reviewer(TestIdentityProvider.NewUser("cto")));
        await (await reviewer.PostAsJsonAsync($"/api/reviews/{grant.Id}/decision",
            new { decision = "approved", notes = "As described.", evidenceSha256 = (string)grant.Evidence["sha256"]! })).ReadObjectAsync(HttpStatusCode.OK);
        return (grant, fixture.Client(fixture.Idp.Auditor(TestIdentityProvider.NewUser("auditor"))));
    }

    private static Dictionary<string, string> Entries(byte[] pack)
    {
        using var zip = new ZipArchive(new MemoryStream(pack), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        });
    }

    private static string Unzip(byte[] pack)
    {
        var directory = Path.Combine(Path.GetTempPath(), "breakglass-pack-" + Guid.NewGuid().ToString("N"));
        using var zip = new ZipArchive(new MemoryStream(pack));
        zip.ExtractToDirectory(directory);
        return directory;
    }
}
