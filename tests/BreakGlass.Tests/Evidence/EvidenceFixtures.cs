using BreakGlass.LocalAws;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Evidence;

/// <summary>
/// BreakGlass behind the LocalAws front, so every AWS call is recorded and LookupEvents answers from the
/// records, with passes seconds apart instead of 15 and 60 minutes.
/// </summary>
public sealed class EvidenceFixture : BreakGlassFixture
{
    public EvidenceFixture() => EvidenceSettings.Apply(Overrides);

    private protected override LocalAwsOptions? LocalAwsFront => new();
}

/// <summary>As <see cref="EvidenceFixture"/>, with a front that throttles LookupEvents at half the rate BreakGlass paces itself to.</summary>
public sealed class ThrottlingEvidenceFixture : BreakGlassFixture
{
    public ThrottlingEvidenceFixture() => EvidenceSettings.Apply(Overrides);

    private protected override LocalAwsOptions? LocalAwsFront => new() { LookupRequestsPerSecond = 1 };
}

internal static class EvidenceSettings
{
    public const int DeliveryDelaySeconds = 2;
    public const int FinalPassDelaySeconds = 6;
    public static readonly string[] LookupRegions = ["us-east-1", "eu-west-1"];

    /// <summary>The same settings for an in-process <see cref="EvidenceServices"/> (keys inside the Evidence section).</summary>
    public static Dictionary<string, string> Section() => new()
    {
        ["DeliveryDelaySeconds"] = DeliveryDelaySeconds.ToString(),
        ["FinalPassDelaySeconds"] = FinalPassDelaySeconds.ToString(),
        ["SweepIntervalSeconds"] = "1",
        ["WindowMarginSeconds"] = "60",
        ["LookupRegions:0"] = LookupRegions[0],
        ["LookupRegions:1"] = LookupRegions[1],
    };

    public static void Apply(Dictionary<string, string> overrides)
    {
        foreach (var (key, value) in Section())
        {
            overrides[$"Evidence__{key.Replace(":", "__", StringComparison.Ordinal)}"] = value;
        }
    }
}
