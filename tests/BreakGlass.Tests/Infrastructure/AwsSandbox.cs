using Amazon.Runtime;
using BreakGlass.Tests.Aws;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// The AWS side of a test, created in moto before authentication is enforced: a least-privilege broker user
/// (what BreakGlass runs as) and break-glass roles that trust exactly that user; optionally a broker role the user
/// assumes, so that BreakGlass runs as a role session (EC2, ECS, IRSA); and an administrator for the LocalAws front.
/// </summary>
internal sealed class AwsSandbox
{
    public const string AccountId = MotoIam.AccountId;

    /// <summary>The session name BreakGlass's role session has when <see cref="BrokerRoleArn"/> is set.</summary>
    public const string BrokerSessionName = "breakglass-broker-session";

    private AwsSandbox(string brokerUserArn, string brokerAccessKeyId, string brokerSecretAccessKey, IReadOnlyList<string> roleArns, string? brokerRoleArn, BasicAWSCredentials frontAdmin)
    {
        BrokerUserArn = brokerUserArn;
        BrokerAccessKeyId = brokerAccessKeyId;
        BrokerSecretAccessKey = brokerSecretAccessKey;
        RoleArns = roleArns;
        BrokerRoleArn = brokerRoleArn;
        FrontAdmin = frontAdmin;
    }

    /// <summary>The user BreakGlass runs as (or assumes its broker role as).</summary>
    public string BrokerUserArn { get; }
    public string BrokerAccessKeyId { get; }
    public string BrokerSecretAccessKey { get; }
    public IReadOnlyList<string> RoleArns { get; }

    /// <summary>The role the broker user assumes to act as a role session, if the sandbox has one.</summary>
    public string? BrokerRoleArn { get; }

    /// <summary>An identity allowed everything, for the LocalAws front's own reads and writes.</summary>
    public BasicAWSCredentials FrontAdmin { get; }

    public static async Task<AwsSandbox> CreateAsync(MotoServer moto, IReadOnlyList<string> roleNames, bool brokerRoleSession = false, int roleMaxSessionSeconds = 3600)
    {
        var aws = MotoIam.Environment(moto, MotoIam.AnyCredentials);
        var brokerUser = "breakglass-broker-" + Guid.NewGuid().ToString("N")[..8];
        var brokerArn = $"arn:aws:iam::{AccountId}:user/{brokerUser}";
        await MotoIam.QueryAsync(aws, "CreateUser", ("UserName", brokerUser));
        var keys = await MotoIam.QueryAsync(aws, "CreateAccessKey", ("UserName", brokerUser));
        var brokerRoleName = brokerRoleSession ? brokerUser + "-role" : null;
        // moto matches a trust policy's principal literally: name the broker's session as well as the user.
        string[] brokerPrincipals = brokerRoleName is null
            ? [brokerArn]
            : [brokerArn, $"arn:aws:sts::{AccountId}:assumed-role/{brokerRoleName}/{BrokerSessionName}"];
        var roleArns = new List<string>();
        foreach (var roleName in roleNames)
        {
            var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":{{Json(brokerPrincipals)}}},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""";
            await MotoIam.QueryAsync(aws, "CreateRole", ("RoleName", roleName), ("AssumeRolePolicyDocument", trust),
                ("MaxSessionDuration", roleMaxSessionSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await MotoIam.QueryAsync(aws, "PutRolePolicy", ("RoleName", roleName), ("PolicyName", "admin"),
                ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""));
            roleArns.Add($"arn:aws:iam::{AccountId}:role/{roleName}");
        }
        var brokerPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":{{Json(roleArns)}}},
              {"Effect":"Allow","Action":["iam:PutRolePolicy","iam:GetRolePolicy","iam:DeleteRolePolicy","iam:GetRole"],"Resource":{{Json(roleArns)}}},
              {"Effect":"Allow","Action":["cloudtrail:LookupEvents"],"Resource":"*"}]}
            """;
        await MotoIam.QueryAsync(aws, "PutUserPolicy", ("UserName", brokerUser), ("PolicyName", "breakglass-broker"), ("PolicyDocument", brokerPolicy));
        string? brokerRoleArn = null;
        if (brokerRoleName is not null)
        {
            var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{brokerArn}}"},"Action":"sts:AssumeRole"}]}""";
            await MotoIam.QueryAsync(aws, "CreateRole", ("RoleName", brokerRoleName), ("AssumeRolePolicyDocument", trust), ("MaxSessionDuration", "3600"));
            await MotoIam.QueryAsync(aws, "PutRolePolicy", ("RoleName", brokerRoleName), ("PolicyName", "breakglass-broker"), ("PolicyDocument", brokerPolicy));
            brokerRoleArn = $"arn:aws:iam::{AccountId}:role/{brokerRoleName}";
            await MotoIam.QueryAsync(aws, "PutUserPolicy", ("UserName", brokerUser), ("PolicyName", "assume-broker-role"), ("PolicyDocument",
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{{brokerRoleArn}}"}]}"""));
        }
        var (_, frontAdmin) = await MotoIam.CreateAdminUserAsync(aws);
        return new AwsSandbox(brokerArn, MotoIam.Value(keys, "AccessKeyId"), MotoIam.Value(keys, "SecretAccessKey"), roleArns, brokerRoleArn, frontAdmin);
    }

    private static string Json(IEnumerable<string> values) => System.Text.Json.JsonSerializer.Serialize(values);
}
