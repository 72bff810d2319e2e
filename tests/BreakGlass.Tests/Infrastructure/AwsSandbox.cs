using Amazon.Runtime;
using BreakGlass.Tests.Aws;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// The AWS side of a test, created in moto before authentication is enforced: a least-privilege broker user
/// (what BreakGlass runs as), break-glass roles that trust exactly that user, and an account administrator
/// for tests that change IAM behind BreakGlass's back.
/// </summary>
internal sealed class AwsSandbox
{
    public const string AccountId = MotoIam.AccountId;

    private AwsSandbox(string brokerAccessKeyId, string brokerSecretAccessKey, IReadOnlyList<string> roleArns, AWSCredentials administrator)
    {
        Administrator = administrator;
        BrokerAccessKeyId = brokerAccessKeyId;
        BrokerSecretAccessKey = brokerSecretAccessKey;
        RoleArns = roleArns;
    }

    public string BrokerAccessKeyId { get; }
    public string BrokerSecretAccessKey { get; }
    public IReadOnlyList<string> RoleArns { get; }

    /// <summary>A user allowed everything: an administrator (or an attacker with IAM rights) acting outside BreakGlass.</summary>
    public AWSCredentials Administrator { get; }

    public static async Task<AwsSandbox> CreateAsync(MotoServer moto, IReadOnlyList<string> roleNames)
    {
        var aws = MotoIam.Environment(moto, MotoIam.AnyCredentials);
        var brokerUser = "breakglass-broker-" + Guid.NewGuid().ToString("N")[..8];
        var brokerArn = $"arn:aws:iam::{AccountId}:user/{brokerUser}";
        await MotoIam.QueryAsync(aws, "CreateUser", ("UserName", brokerUser));
        var keys = await MotoIam.QueryAsync(aws, "CreateAccessKey", ("UserName", brokerUser));
        var roleArns = new List<string>();
        foreach (var roleName in roleNames)
        {
            var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{brokerArn}}"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""";
            await MotoIam.QueryAsync(aws, "CreateRole", ("RoleName", roleName), ("AssumeRolePolicyDocument", trust), ("MaxSessionDuration", "3600"));
            await MotoIam.QueryAsync(aws, "PutRolePolicy", ("RoleName", roleName), ("PolicyName", "admin"),
                ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""));
            roleArns.Add($"arn:aws:iam::{AccountId}:role/{roleName}");
        }
        var brokerPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":{{Json(roleArns)}}},
              {"Effect":"Allow","Action":["iam:PutRolePolicy","iam:GetRolePolicy","iam:DeleteRolePolicy"],"Resource":{{Json(roleArns)}}},
              {"Effect":"Allow","Action":["cloudtrail:LookupEvents"],"Resource":"*"}]}
            """;
        await MotoIam.QueryAsync(aws, "PutUserPolicy", ("UserName", brokerUser), ("PolicyName", "breakglass-broker"), ("PolicyDocument", brokerPolicy));
        var (_, administrator) = await MotoIam.CreateAdminUserAsync(aws);
        return new AwsSandbox(MotoIam.Value(keys, "AccessKeyId"), MotoIam.Value(keys, "SecretAccessKey"), roleArns, administrator);
    }

    private static string Json(IEnumerable<string> values) => System.Text.Json.JsonSerializer.Serialize(values);
}
