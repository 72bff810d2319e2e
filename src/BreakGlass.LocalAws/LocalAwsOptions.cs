namespace BreakGlass.LocalAws;

internal sealed record LocalAwsOptions
{
    /// <summary>The one account this emulator pretends to be; moto's default.</summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>CloudTrail's documented LookupEvents limit, per account and region.</summary>
    public int LookupRequestsPerSecond { get; init; } = 2;

    /// <summary>
    /// An identity moto allows every IAM action, with which the front reads roles and BreakGlass's deny and stores the
    /// deny in a form moto does not apply itself. Without it the front enforces nothing of IAM (see <c>Iam/IamEnforcement</c>).
    /// </summary>
    public MotoAdminCredentials? MotoAdmin { get; init; }
}

internal sealed record MotoAdminCredentials(string AccessKeyId, string SecretAccessKey)
{
    // A record's generated ToString would print the secret into any log line that formats this object.
    public override string ToString() => $"MotoAdminCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
