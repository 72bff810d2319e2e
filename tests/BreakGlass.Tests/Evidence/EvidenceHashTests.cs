using System.Text.Json;
using BreakGlass.Evidence;
using BreakGlass.Tests.Infrastructure;
using Npgsql;

namespace BreakGlass.Tests.Evidence;

public sealed class EvidenceHashTests
{
    private static readonly Guid GrantId = Guid.Parse("0198c0de-0000-7000-8000-0000000000a1");
    private static readonly DateTimeOffset FirstPassAt = new(2025, 3, 14, 10, 0, 0, 123, 456, TimeSpan.Zero);
    private static readonly DateTimeOffset FinalPassAt = new(2025, 3, 14, 10, 45, 0, TimeSpan.Zero);

    /// <summary>
    /// Pinned: a reviewer's sign-off names this hash, so any change to the canonical form breaks every past sign-off.
    /// Recomputed independently with Node.js (JSON.stringify over recursively key-sorted data is RFC 8785 for this input).
    /// </summary>
    [Fact]
    public void TheHashOfAKnownEvidenceNeverChanges()
    {
        var events = new[] { Event("iam-attach-role-policy", "critical", "iam.change"), Event("s3-list-buckets", "info", "read-only") };

        var hash = EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, events);

        Assert.Equal("59e6e9851b1be9de98ae592cea95f5f5b47afb696f46ceb79cf10cf94090f862", hash);
    }

    [Fact]
    public void TheHashIgnoresTheOrderOfEventsAndTheLayoutOfTheirRecords()
    {
        var listing = Event("s3-list-buckets", "info", "read-only");
        var reformatted = listing with { Raw = JsonDocument.Parse(JsonSerializer.Serialize(listing.Raw, new JsonSerializerOptions { WriteIndented = true })).RootElement };
        var attach = Event("iam-attach-role-policy", "critical", "iam.change");

        Assert.Equal(
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [reformatted, attach]));
    }

    [Fact]
    public async Task TheHashSurvivesTheRecordsRoundTripThroughJsonb()
    {
        var events = new[] { Event("ec2-authorize-ingress-world", "critical", "exposure.world-open-ingress"), Event("kms-decrypt-denied", "high", "read-only") };
        await using var connection = new NpgsqlConnection((await PostgresServer.GetAsync()).AdminConnectionString);
        await connection.OpenAsync();
        var stored = new List<EvidenceEvent>();
        foreach (var item in events)
        {
            await using var roundTrip = new NpgsqlCommand("SELECT CAST($1 AS jsonb)::text", connection) { Parameters = { new() { Value = item.Raw.GetRawText() } } };
            var text = (string)(await roundTrip.ExecuteScalarAsync())!;
            Assert.NotEqual(item.Raw.GetRawText(), text);
            stored.Add(item with { Raw = JsonDocument.Parse(text).RootElement });
        }

        Assert.Equal(
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Partial, FirstPassAt, null, events),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Partial, FirstPassAt, null, stored));
    }

    [Fact]
    public void EveryPartOfTheEvidenceIsCoveredByTheHash()
    {
        var listing = Event("s3-list-buckets", "info", "read-only");
        var attach = Event("iam-attach-role-policy", "critical", "iam.change");
        var original = EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach, listing]);
        var tampered = JsonDocument.Parse(attach.Raw.GetRawText().Replace("AdministratorAccess", "ReadOnlyAccess", StringComparison.Ordinal)).RootElement;

        string[] variants =
        [
            EvidenceHash.Compute(Guid.CreateVersion7(), EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Partial, FirstPassAt, FinalPassAt, [attach, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt.AddTicks(10), FinalPassAt, [attach, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, null, [attach, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach with { Severity = "high" }, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach with { RuleId = "mutating" }, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach with { Reasons = ["nothing to see"] }, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach with { Flags = ["error"] }, listing]),
            EvidenceHash.Compute(GrantId, EvidenceCompleteness.Complete, FirstPassAt, FinalPassAt, [attach with { Raw = tampered }, listing]),
        ];

        Assert.All(variants, variant => Assert.NotEqual(original, variant));
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    private static EvidenceEvent Event(string fixture, string severity, string ruleId)
    {
        var record = CloudTrailFixtures.Record(fixture);
        return new EvidenceEvent(record.EventId, record.EventTime, record.EventSource, record.EventName, record.ReadOnly, severity, ruleId,
            [$"reason of {ruleId}"], [], record.ErrorCode, EventOutcome.Of(record.ErrorCode, []), [], null, record.AwsRegion, record.SourceIpAddress, record.UserAgent, record.AccessKeyId, [],
            record.Raw);
    }
}
