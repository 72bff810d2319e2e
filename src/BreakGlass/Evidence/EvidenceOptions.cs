using System.ComponentModel.DataAnnotations;
using BreakGlass.Evidence.S3Logs;

namespace BreakGlass.Evidence;

internal sealed class EvidenceOptions : IValidatableObject
{
    public const string Section = "Evidence";

    /// <summary>First pass this long after revocation: CloudTrail delivers in about 5 minutes on average, with no guarantee.</summary>
    [Range(0, 86_400)] public int DeliveryDelaySeconds { get; set; } = 900;

    /// <summary>Final pass this long after revocation; the evidence is complete after it.</summary>
    [Range(0, 7 * 86_400)] public int FinalPassDelaySeconds { get; set; } = 3600;

    /// <summary>LookupEvents calls per second per account and region, shared by every grant and instance (AWS allows 2).</summary>
    [Range(0.01, 2.0)] public double LookupRequestsPerSecond { get; set; } = 2;

    /// <summary>Added before the request and after the end of the window, for clock skew between AWS and BreakGlass.</summary>
    [Range(0, 86_400)] public int WindowMarginSeconds { get; set; } = 300;

    /// <summary>
    /// The regions whose LookupEvents are searched (LookupEvents answers for one region). Empty means the service's
    /// own region and us-east-1, where CloudTrail records calls to global services such as IAM and STS.
    /// </summary>
    public List<string> LookupRegions { get; set; } = [];

    /// <summary>How often the sweeper runs due passes (the source of truth; the scheduled jobs are the fast path).</summary>
    [Range(1, 3600)] public int SweepIntervalSeconds { get; set; } = 60;

    /// <summary>After this many failed attempts at a pass an alert is logged; retries go on with backoff.</summary>
    [Range(1, 100)] public int AlertAfterAttempts { get; set; } = 3;

    /// <summary>A severity rules file to use instead of the built-in one (same format, see docs/evidence.md).</summary>
    public string? RulesFile { get; set; }

    public EvidenceS3Options S3 { get; set; } = new();

    public IEnumerable<string> Regions(string serviceRegion) =>
        LookupRegions.Count > 0 ? LookupRegions.Distinct(StringComparer.Ordinal) : new[] { serviceRegion, "us-east-1" }.Distinct(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (FinalPassDelaySeconds < DeliveryDelaySeconds)
        {
            yield return new ValidationResult("Evidence:FinalPassDelaySeconds must not be shorter than Evidence:DeliveryDelaySeconds.",
                [nameof(FinalPassDelaySeconds)]);
        }
        if (LookupRegions.Any(string.IsNullOrWhiteSpace))
        {
            yield return new ValidationResult("Evidence:LookupRegions has an empty entry.", [nameof(LookupRegions)]);
        }
        if (RulesFile is { Length: > 0 } && !File.Exists(RulesFile))
        {
            yield return new ValidationResult($"Evidence:RulesFile '{RulesFile}' does not exist.", [nameof(RulesFile)]);
        }
        foreach (var problem in S3.Problems())
        {
            yield return new ValidationResult(problem, [nameof(S3)]);
        }
    }
}

/// <summary>The optional second source: the trail's log files in S3 (they also hold data events).</summary>
internal sealed class EvidenceS3Options
{
    public string? Bucket { get; set; }
    public string? AccountId { get; set; }
    public List<string> Regions { get; set; } = [];
    public string? KeyPrefix { get; set; }
    public string? OrganizationId { get; set; }

    /// <summary>Null when no bucket is configured.</summary>
    public S3TrailLocation? Location =>
        string.IsNullOrWhiteSpace(Bucket) ? null : new S3TrailLocation(Bucket, AccountId, Regions, KeyPrefix, OrganizationId);

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Bucket)) yield break;
        // An organization trail has a folder per member account: each session's own account is read.
        if (string.IsNullOrWhiteSpace(OrganizationId) && (AccountId is null || AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit)))
            yield return "Evidence:S3:AccountId must be the trail's 12-digit account id when Evidence:S3:Bucket is set (or Evidence:S3:OrganizationId, for an organization trail).";
        if (Regions.Count == 0 || Regions.Any(string.IsNullOrWhiteSpace))
            yield return "Evidence:S3:Regions must list the regions whose log files to read when Evidence:S3:Bucket is set.";
    }
}
