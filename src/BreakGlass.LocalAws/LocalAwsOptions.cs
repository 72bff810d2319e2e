namespace BreakGlass.LocalAws;

internal sealed record LocalAwsOptions
{
    /// <summary>
    /// The front's own account (moto's default): calls signed with keys the front did not see issued are taken to be
    /// made in it. Sessions the front saw STS issue act in their role's account, as in moto.
    /// </summary>
    public string AccountId { get; init; } = "123456789012";

    /// <summary>CloudTrail's documented LookupEvents limit, per account and region.</summary>
    public int LookupRequestsPerSecond { get; init; } = 2;

    /// <summary>
    /// An identity moto allows every IAM action, with which the front reads roles and BreakGlass's deny and stores the
    /// deny in a form moto does not apply itself. Without it the front enforces nothing of IAM (see <c>Iam/IamEnforcement</c>).
    /// </summary>
    public MotoAdminCredentials? MotoAdmin { get; init; }

    /// <summary>
    /// An identity allowed everything in each other account, by account id: moto keeps each account's IAM apart, so
    /// the front needs one there to enforce the deny on that account's roles and to check cross-account AssumeRole.
    /// </summary>
    public IReadOnlyDictionary<string, MotoAdminCredentials> MemberAccountAdmins { get; init; } = new Dictionary<string, MotoAdminCredentials>();
}

internal sealed record MotoAdminCredentials(string AccessKeyId, string SecretAccessKey)
{
    // A record's generated ToString would print the secret into any log line that formats this object.
    public override string ToString() => $"MotoAdminCredentials {{ AccessKeyId = {AccessKeyId} }}";
}
