using System.Text.Json.Nodes;
using BreakGlass.Tests.CloudTrail;

namespace BreakGlass.Tests.Evidence;

/// <summary>Realistic CloudTrail records for seeding the LookupEvents double: a session's mix of reads, changes and failures.</summary>
internal static class SessionEvents
{
    /// <summary>Mostly reads, some changes, a few denials, and the occasional critical action, as an incident session looks.</summary>
    private static readonly string[] Mix =
    [
        "ec2-describe-instances", "s3-list-buckets", "ec2-describe-instances", "iam-get-role-breakglass", "ec2-create-tags",
        "ec2-describe-instances-denied", "s3-list-buckets", "ec2-terminate-instances", "kms-decrypt-denied", "ec2-describe-instances",
        "ec2-run-instances-invalid", "s3-list-buckets", "iam-attach-role-policy", "ec2-describe-instances", "cloudtrail-stop-logging",
        "s3-put-bucket-policy", "ec2-describe-instances", "kms-disable-key", "s3-list-buckets", "ec2-create-tags",
    ];

    /// <summary><paramref name="count"/> records by <paramref name="accessKeyId"/>, spread evenly from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static List<JsonObject> Spread(string accessKeyId, int count, DateTimeOffset from, DateTimeOffset to, string region = "us-east-1") =>
        Enumerable.Range(0, count)
            .Select(index => LocalAwsTestClient.Event(accessKeyId, (from + (to - from) * index / count).ToUniversalTime(), Mix[index % Mix.Length], region))
            .ToList();

    public static IEnumerable<string> IdsOf(IEnumerable<JsonObject> records) => records.Select(record => (string)record["eventID"]!);
}
