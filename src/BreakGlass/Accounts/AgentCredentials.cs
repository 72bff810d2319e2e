using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace BreakGlass.Accounts;

/// <summary>
/// A member account's agent session: assumed with the broker's own identity on first use and again shortly before it
/// expires, so every IAM and CloudTrail call in that account signs with a cached session instead of one AssumeRole each.
/// </summary>
internal sealed class AgentCredentials : RefreshingAWSCredentials
{
    /// <summary>Shown in the member account's CloudTrail as the agent's role session name.</summary>
    public const string SessionName = "breakglass-agent";

    /// <summary>
    /// Set on every agent session so that the agent role's trust can require it (<c>sts:SourceIdentity</c>); AWS keeps it
    /// through any chaining, so the member account's CloudTrail shows BreakGlass behind every agent call.
    /// </summary>
    public const string SourceIdentity = "breakglass-broker";

    /// <summary>An hour: the most AWS allows a broker that is itself a role session (role chaining).</summary>
    private const int SessionSeconds = 3600;

    private readonly IAmazonSecurityTokenService _sts;
    private readonly MemberAccount _account;

    public AgentCredentials(IAmazonSecurityTokenService sts, MemberAccount account)
    {
        _sts = sts;
        _account = account;
        // Renew well before expiry: a revocation must never sign with a session that lapses on the way to IAM.
        PreemptExpiryTime = TimeSpan.FromMinutes(10);
    }

    protected override CredentialsRefreshState GenerateNewCredentials() =>
        GenerateNewCredentialsAsync().GetAwaiter().GetResult();

    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        var response = await _sts.AssumeRoleAsync(Request(_account));
        var credentials = response.Credentials;
        return new CredentialsRefreshState(
            new ImmutableCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken),
            DateTime.SpecifyKind(credentials.Expiration ?? DateTime.UtcNow.AddSeconds(SessionSeconds), DateTimeKind.Utc));
    }

    /// <summary>The AssumeRole that opens an agent session (preflight makes the same call to prove it works).</summary>
    public static AssumeRoleRequest Request(MemberAccount account) => new()
    {
        RoleArn = account.AgentRoleArn,
        RoleSessionName = SessionName,
        SourceIdentity = SourceIdentity,
        ExternalId = string.IsNullOrEmpty(account.ExternalId) ? null : account.ExternalId,
        DurationSeconds = SessionSeconds,
    };
}
