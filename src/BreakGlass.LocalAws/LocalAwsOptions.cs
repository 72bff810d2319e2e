namespace BreakGlass.LocalAws;

internal sealed record LocalAwsOptions
{
    /// <summary>The one account this emulator pretends to be; moto's default.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>CloudTrail's documented LookupEvents limit, per account and region.</summary>
    public int LookupRequestsPerSecond { get; init; } = 2;
}
