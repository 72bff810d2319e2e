using System.Collections.Concurrent;
using Amazon;
using Amazon.SecurityToken;
using BreakGlass.Aws;
using BreakGlass.Aws.Iam;
using BreakGlass.Aws.Sts;
using Microsoft.Extensions.Options;

namespace BreakGlass.Accounts;

/// <summary>
/// How BreakGlass acts in each AWS account: as itself in its own account, through the account's agent session in a
/// member account. Every IAM deny and every LookupEvents goes through here, so a role's deny is written in the role's
/// own account and a session's events are read from its own account's CloudTrail.
/// </summary>
internal sealed class AccountDirectory
{
    private readonly AwsEnvironment _broker;
    private readonly BrokerIdentity _identity;
    private readonly IamClients _iamClients;
    private readonly AccountsOptions _options;
    private readonly IReadOnlyDictionary<int, string> _problems;
    private readonly Dictionary<string, AwsEnvironment> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IamClient> _iam = new(StringComparer.Ordinal);

    public AccountDirectory(AwsEnvironment broker, BrokerIdentity identity, IAmazonSecurityTokenService sts, IamClients iamClients, IOptions<AccountsOptions> options)
    {
        _broker = broker;
        _identity = identity;
        _iamClients = iamClients;
        _options = options.Value;
        _problems = _options.Problems();
        for (var index = 0; index < _options.Accounts.Count; index++)
        {
            if (_problems.ContainsKey(index)) continue;
            var account = _options.Accounts[index];
            _agents[account.Id] = new AwsEnvironment(new AgentCredentials(sts, account), broker.Region, broker.EndpointOverride);
        }
    }

    /// <summary>The broker's own account, once its identity is known (<c>sts:GetCallerIdentity</c>).</summary>
    public string? BrokerAccountId => _identity.Arn?.Split(':') is [_, _, _, _, var account, ..] ? account : null;

    /// <summary>The usable member accounts, by id.</summary>
    public IEnumerable<MemberAccount> Members =>
        _options.Accounts.Where((_, index) => !_problems.ContainsKey(index));

    /// <summary>Configuration problems of account entries (each makes its account's roles unusable).</summary>
    public IReadOnlyCollection<string> ConfigurationProblems => _problems.Values.ToArray();

    /// <summary>Why BreakGlass cannot act in <paramref name="accountId"/>, or null when it can.</summary>
    public string? UnreachableReason(string accountId)
    {
        if (_agents.ContainsKey(accountId)) return null;
        var misconfigured = _options.Accounts.Select((account, index) => (account, index))
            .FirstOrDefault(entry => entry.account.Id == accountId && _problems.ContainsKey(entry.index));
        if (misconfigured.account is not null) return _problems[misconfigured.index];
        // Until the broker knows its own account, a role without an agent is taken to be in it, as before organizations.
        return BrokerAccountId is { } own && own != accountId
            ? $"account {accountId} is not BreakGlass's own ({own}) and has no agent: configure Accounts:N:Id and Accounts:N:AgentRoleArn for it."
            : null;
    }

    /// <summary>The identity, region and endpoint to act with in <paramref name="accountId"/>.</summary>
    /// <exception cref="AccountUnreachableException">The account has no usable agent and is not the broker's own.</exception>
    public AwsEnvironment EnvironmentFor(string accountId, string? region = null)
    {
        if (UnreachableReason(accountId) is { } reason) throw new AccountUnreachableException(accountId, reason);
        var aws = _agents.GetValueOrDefault(accountId) ?? _broker;
        return region is null || region == aws.Region.SystemName
            ? aws
            : new AwsEnvironment(aws.Credentials, RegionEndpoint.GetBySystemName(region), aws.EndpointOverride);
    }

    /// <summary>Whether <paramref name="accountId"/> is reached through an agent (false: the broker's own identity).</summary>
    public bool HasAgent(string accountId) => _agents.ContainsKey(accountId);

    /// <summary>IAM in the role's account, signed by whoever acts there.</summary>
    /// <exception cref="AccountUnreachableException">The role's account has no usable agent and is not the broker's own.</exception>
    public IamClient IamFor(string roleArn)
    {
        var accountId = RoleArn.AccountId(roleArn);
        var aws = EnvironmentFor(accountId);
        return _iam.GetOrAdd(HasAgent(accountId) ? accountId : "", _ => _iamClients.For(aws));
    }
}

/// <summary>A role or session in an account BreakGlass cannot act in: a configuration problem, reported at start and by preflight.</summary>
internal sealed class AccountUnreachableException(string accountId, string reason)
    : Exception($"BreakGlass cannot act in AWS account {accountId}: {reason}")
{
    public string AccountId { get; } = accountId;
}

/// <summary>A grant asked on a role whose account BreakGlass cannot act in: it could not be revoked, so it is not issued.</summary>
internal sealed class RoleUnavailableException(string detail) : Errors.DomainException("Role unavailable", detail)
{
    public override int StatusCode => StatusCodes.Status503ServiceUnavailable;
}
