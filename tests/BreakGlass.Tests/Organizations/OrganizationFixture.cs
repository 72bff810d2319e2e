using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using BreakGlass.Aws;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.LocalAws;
using BreakGlass.Tests.Aws;
using BreakGlass.Tests.Evidence;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace BreakGlass.Tests.Organizations;

/// <summary>
/// BreakGlass in its own account and an organization around it, in one moto (which keeps each account's state apart:
/// credentials from an AssumeRole into account X's role act on X). Members A and B each have an agent role and a
/// break-glass role of the same name; C has a break-glass role but its agent role is missing; D's account entry is
/// wrong (its agent is in another account); E has no entry at all. All traffic goes through the LocalAws front, with
/// an administrator in each member account so that it enforces the deny there too.
/// </summary>
public sealed class OrganizationFixture : BreakGlassFixture
{
    public const string MemberA = "111111111111";
    public const string MemberB = "222222222222";
    public const string MemberWithoutAgentRole = "333333333333";
    public const string MisconfiguredAccount = "444444444444";
    public const string UnconfiguredAccount = "555555555555";

    public const string RoleInA = "member-a-admin";
    public const string RoleInB = "member-b-admin";
    public const string RoleWithoutAgentRole = "member-c-admin";
    public const string RoleInMisconfiguredAccount = "member-d-admin";
    public const string RoleInUnconfiguredAccount = "member-e-admin";

    public const string AgentRoleName = "breakglass-agent";
    public const string ExternalIdOfA = "breakglass-org-test-a";

    private readonly Dictionary<string, BasicAWSCredentials> _memberAdmins = new(StringComparer.Ordinal);

    public OrganizationFixture()
    {
        EvidenceSettings.Apply(Overrides);
        // The reconciler checks every reachable role, in every account, every few seconds.
        Overrides["Revocation__VerifySeconds"] = "2";
    }

    /// <summary>The break-glass role's name, the same in every member account.</summary>
    internal string MemberRoleName { get; } = "prod-admin-" + Guid.NewGuid().ToString("N")[..6];

    internal string MemberRoleArn(string account) => $"arn:aws:iam::{account}:role/{MemberRoleName}";

    internal static string AgentRoleArn(string account) => $"arn:aws:iam::{account}:role/{AgentRoleName}";

    /// <summary>An administrator in a member account: moto finds the account from the key.</summary>
    internal BasicAWSCredentials AdminOf(string account) => _memberAdmins[account];

    private protected override LocalAwsOptions? LocalAwsFront => new()
    {
        MotoAdmin = Credentials(Aws.FrontAdmin),
        MemberAccountAdmins = _memberAdmins.ToDictionary(pair => pair.Key, pair => Credentials(pair.Value)),
    };

    private protected override async Task<AwsSandbox> CreateSandboxAsync(IReadOnlyList<string> roleNames)
    {
        var sandbox = await AwsSandbox.CreateAsync(Moto, roleNames);
        var setup = MotoIam.Environment(Moto, MotoIam.AnyCredentials);
        var broker = sandbox.BrokerUserArn;
        foreach (var account in new[] { MemberA, MemberB, MemberWithoutAgentRole })
        {
            (_, _memberAdmins[account]) = await MotoIam.CreateAdminUserAsync(setup, account);
            await MotoIam.QueryInAccountAsync(setup, account, "CreateRole", ("RoleName", MemberRoleName), ("AssumeRolePolicyDocument",
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{broker}}"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}"""));
            await MotoIam.QueryInAccountAsync(setup, account, "PutRolePolicy", ("RoleName", MemberRoleName), ("PolicyName", "admin"), ("PolicyDocument", MotoIam.AllowEverything));
        }
        // A's agent trusts the broker with an external id, B's with the source identity BreakGlass sets; C has none.
        await CreateAgentAsync(setup, MemberA, broker, $$"""{"StringEquals":{"sts:ExternalId":"{{ExternalIdOfA}}"} }""");
        await CreateAgentAsync(setup, MemberB, broker, """{"StringEquals":{"sts:SourceIdentity":"breakglass-broker"} }""");
        string[] reachable =
        [
            .. new[] { MemberA, MemberB, MemberWithoutAgentRole }.SelectMany(account => new[] { MemberRoleArn(account), AgentRoleArn(account) }),
        ];
        await MotoIam.QueryAsync(setup, "PutUserPolicy", ("UserName", broker[(broker.LastIndexOf('/') + 1)..]), ("PolicyName", "breakglass-organization"), ("PolicyDocument",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":{{System.Text.Json.JsonSerializer.Serialize(reachable)}}}]}"""));

        var group = TestIdentityProvider.RequesterGroup;
        (string Name, string Arn)[] roles =
        [
            (RoleInA, MemberRoleArn(MemberA)),
            (RoleInB, MemberRoleArn(MemberB)),
            (RoleWithoutAgentRole, MemberRoleArn(MemberWithoutAgentRole)),
            (RoleInMisconfiguredAccount, MemberRoleArn(MisconfiguredAccount)),
            (RoleInUnconfiguredAccount, MemberRoleArn(UnconfiguredAccount)),
        ];
        for (var index = 0; index < roles.Length; index++)
        {
            Overrides[$"Roles__{15 + index}__Name"] = roles[index].Name;
            Overrides[$"Roles__{15 + index}__RoleArn"] = roles[index].Arn;
            Overrides[$"Roles__{15 + index}__AllowedGroups__0"] = group;
        }
        (string Id, string Agent, string? ExternalId)[] accounts =
        [
            (MemberA, AgentRoleArn(MemberA), ExternalIdOfA),
            (MemberB, AgentRoleArn(MemberB), null),
            (MemberWithoutAgentRole, AgentRoleArn(MemberWithoutAgentRole), null),
            (MisconfiguredAccount, AgentRoleArn(MemberA), null),
        ];
        for (var index = 0; index < accounts.Length; index++)
        {
            Overrides[$"Accounts__{index}__Id"] = accounts[index].Id;
            Overrides[$"Accounts__{index}__AgentRoleArn"] = accounts[index].Agent;
            if (accounts[index].ExternalId is { } externalId) Overrides[$"Accounts__{index}__ExternalId"] = externalId;
        }
        return sandbox;
    }

    /// <summary>The agent role: exactly what BreakGlass needs in the account, trusted by the broker only.</summary>
    private async Task CreateAgentAsync(AwsEnvironment setup, string account, string broker, string condition)
    {
        await MotoIam.QueryInAccountAsync(setup, account, "CreateRole", ("RoleName", AgentRoleName), ("AssumeRolePolicyDocument",
            $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{broker}}"},"Action":["sts:AssumeRole","sts:SetSourceIdentity"],"Condition":{{condition}}}]}"""));
        await MotoIam.QueryInAccountAsync(setup, account, "PutRolePolicy", ("RoleName", AgentRoleName), ("PolicyName", "breakglass-agent"), ("PolicyDocument",
            $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["iam:PutRolePolicy","iam:GetRolePolicy","iam:DeleteRolePolicy","iam:GetRole"],"Resource":"{{MemberRoleArn(account)}}"},
              {"Effect":"Allow","Action":"cloudtrail:LookupEvents","Resource":"*"}]}
            """));
    }

    /// <summary>
    /// A member account's trail, read as BreakGlass reads it: through the account's agent role, whose session the
    /// front saw issued, so LookupEvents answers with that account's recorded calls.
    /// </summary>
    internal async Task<List<JsonObject>> AgentTrailAsync(string account)
    {
        using var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials(Aws.BrokerAccessKeyId, Aws.BrokerSecretAccessKey),
            new AmazonSecurityTokenServiceConfig { ServiceURL = AwsEndpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var session = (await sts.AssumeRoleAsync(new AssumeRoleRequest
        {
            RoleArn = AgentRoleArn(account),
            RoleSessionName = "organization-test",
            ExternalId = account == MemberA ? ExternalIdOfA : null,
        })).Credentials;
        var cloudTrail = CloudTrailClient.Create(
            new AwsEnvironment(new SessionAWSCredentials(session.AccessKeyId, session.SecretAccessKey, session.SessionToken), RegionEndpoint.USEast1, AwsEndpoint),
            TimeProvider.System, NullLogger.Instance);
        var now = DateTimeOffset.UtcNow;
        return await cloudTrail
            .LookupAllAsync(new LookupAttribute(LookupAttributeKeys.EventSource, "iam.amazonaws.com"), now.AddMinutes(-10), now.AddMinutes(1),
                new TokenBucketRequestRateGate(1, TimeProvider.System), CancellationToken.None)
            .Select(trailEvent => JsonNode.Parse(trailEvent.CloudTrailEvent!)!.AsObject())
            .ToListAsync();
    }

    private static MotoAdminCredentials Credentials(AWSCredentials credentials)
    {
        var keys = credentials.GetCredentials();
        return new MotoAdminCredentials(keys.AccessKey, keys.SecretKey);
    }
}
