using System.ComponentModel.DataAnnotations;
using BreakGlass.Evidence;

namespace BreakGlass.Tests.Evidence;

public sealed class EvidenceOptionsTests
{
    [Fact]
    public void TheDefaultsAreValidAndFollowTheDesign()
    {
        var options = new EvidenceOptions();

        Assert.Empty(Problems(options));
        Assert.Equal((900, 3600, 2.0), (options.DeliveryDelaySeconds, options.FinalPassDelaySeconds, options.LookupRequestsPerSecond));
        Assert.Equal(["eu-central-1", "us-east-1"], options.Regions("eu-central-1"));
        Assert.Equal(["us-east-1"], options.Regions("us-east-1"));
        Assert.Null(options.S3.Location);
    }

    [Theory]
    [InlineData("final-before-first")]
    [InlineData("faster-than-aws-allows")]
    [InlineData("bucket-without-account")]
    [InlineData("bucket-without-regions")]
    [InlineData("missing-rules-file")]
    public void AnUnworkableSettingIsRefusedOnStart(string problem)
    {
        var options = new EvidenceOptions();
        switch (problem)
        {
            case "final-before-first": options.FinalPassDelaySeconds = options.DeliveryDelaySeconds - 1; break;
            case "faster-than-aws-allows": options.LookupRequestsPerSecond = 5; break;
            case "bucket-without-account": options.S3 = new EvidenceS3Options { Bucket = "trail", Regions = ["us-east-1"] }; break;
            case "bucket-without-regions": options.S3 = new EvidenceS3Options { Bucket = "trail", AccountId = "123456789012" }; break;
            case "missing-rules-file": options.RulesFile = Path.Combine(Path.GetTempPath(), $"no-such-rules-{Guid.NewGuid():N}.json"); break;
        }

        Assert.NotEmpty(Problems(options));
    }

    [Fact]
    public void AConfiguredBucketGivesTheTrailsLocation()
    {
        var options = new EvidenceOptions
        {
            S3 = new EvidenceS3Options { Bucket = "org-trail", AccountId = "123456789012", Regions = ["us-east-1"], KeyPrefix = "audit", OrganizationId = "o-a1b2c3d4e5" },
        };

        Assert.Empty(Problems(options));
        Assert.Equal("audit/AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/us-east-1/2025/03/14/", options.S3.Location!.DayPrefix("123456789012", "us-east-1", new DateOnly(2025, 3, 14)));
    }

    private static List<ValidationResult> Problems(EvidenceOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
