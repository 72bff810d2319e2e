using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using BreakGlass.Aws;
using BreakGlass.Aws.Iam;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace BreakGlass.Tests.Aws;

/// <summary>
/// Test setup against moto's IAM: the product's <see cref="IamClient"/> only knows role policies, so users,
/// keys and roles are made with raw signed Query calls here instead of growing the product API.
/// </summary>
internal static class MotoIam
{
    public const string AccountId = "123456789012";

    /// <summary>Until authentication is enforced moto takes any key; these only make the request well-formed.</summary>
    public static readonly BasicAWSCredentials AnyCredentials = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");

    public const string AllowEverything =
        """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    public static AwsEnvironment Environment(MotoServer moto, AWSCredentials credentials) =>
        new(credentials, RegionEndpoint.USEast1, moto.Endpoint);

    public static IamClient Client(AwsEnvironment aws, HttpMessageHandler? transport = null) =>
        new(new HttpClient(IamClient.SigningHandler(aws, transport ?? new SocketsHttpHandler())), aws, TimeProvider.System, NullLogger<IamClient>.Instance);

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A role that <paramref name="trustedPrincipalArn"/> may assume (moto matches the principal literally).</summary>
    public static async Task<string> CreateRoleAsync(AwsEnvironment aws, string trustedPrincipalArn)
    {
        var roleName = UniqueName("breakglass");
        var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{trustedPrincipalArn}}"},"Action":["sts:AssumeRole","sts:TagSession"]}]}""";
        await QueryAsync(aws, "CreateRole", ("RoleName", roleName), ("Path", "/breakglass/"), ("AssumeRolePolicyDocument", trust));
        return roleName;
    }

    /// <summary>A user allowed everything, and its access key.</summary>
    public static async Task<(string Arn, BasicAWSCredentials Credentials)> CreateAdminUserAsync(AwsEnvironment aws, string? accountId = null)
    {
        var userName = UniqueName("broker");
        var user = await QueryInAccountAsync(aws, accountId, "CreateUser", ("UserName", userName));
        await QueryInAccountAsync(aws, accountId, "PutUserPolicy", ("UserName", userName), ("PolicyName", "AllowEverything"), ("PolicyDocument", AllowEverything));
        var key = await QueryInAccountAsync(aws, accountId, "CreateAccessKey", ("UserName", userName));
        return (Value(user, "Arn"), new BasicAWSCredentials(Value(key, "AccessKeyId"), Value(key, "SecretAccessKey")));
    }

    public static Task<XDocument> QueryAsync(AwsEnvironment aws, string action, params (string Name, string Value)[] parameters) =>
        QueryInAccountAsync(aws, null, action, parameters);

    /// <summary>
    /// A call acting in <paramref name="accountId"/>: moto keeps each account's IAM apart and, until authentication is
    /// enforced, takes the account from its <c>x-moto-account-id</c> header (afterwards, from the signing key).
    /// </summary>
    public static async Task<XDocument> QueryInAccountAsync(AwsEnvironment aws, string? accountId, string action, params (string Name, string Value)[] parameters)
    {
        using var http = new HttpClient(IamClient.SigningHandler(aws, new SocketsHttpHandler()));
        if (accountId is not null) http.DefaultRequestHeaders.Add("x-moto-account-id", accountId);
        var form = parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))
            .Prepend(KeyValuePair.Create("Version", IamClient.ApiVersion))
            .Prepend(KeyValuePair.Create("Action", action));
        using var response = await http.PostAsync(aws.EndpointFor("iam", "iam.amazonaws.com"), new FormUrlEncodedContent(form));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{action}: {body}");
        return XDocument.Parse(body);
    }

    public static string Value(XDocument response, string name) =>
        response.Descendants().First(e => e.Name.LocalName == name).Value;
}
