using System.Xml.Linq;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>
/// The AWS side of a test, created in moto before authentication is enforced: a least-privilege broker user
/// (what BreakGlass runs as) and break-glass roles that trust exactly that user.
/// </summary>
internal sealed class AwsSandbox
{
    public const string AccountId = "123456789012";
    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";

    private AwsSandbox(string brokerAccessKeyId, string brokerSecretAccessKey, IReadOnlyList<string> roleArns)
    {
        BrokerAccessKeyId = brokerAccessKeyId;
        BrokerSecretAccessKey = brokerSecretAccessKey;
        RoleArns = roleArns;
    }

    public string BrokerAccessKeyId { get; }
    public string BrokerSecretAccessKey { get; }
    public IReadOnlyList<string> RoleArns { get; }

    public static async Task<AwsSandbox> CreateAsync(MotoServer moto, IReadOnlyList<string> roleNames)
    {
        using var http = new HttpClient { BaseAddress = moto.Endpoint };
        var brokerUser = "breakglass-broker-" + Guid.NewGuid().ToString("N")[..8];
        var brokerArn = $"arn:aws:iam::{AccountId}:user/{brokerUser}";
        await CallAsync(http, "CreateUser", ("UserName", brokerUser));
        var keys = await CallAsync(http, "CreateAccessKey", ("UserName", brokerUser));
        var roleArns = new List<string>();
        foreach (var roleName in roleNames)
        {
            var trust = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"{{brokerArn}}"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}""";
            await CallAsync(http, "CreateRole", ("RoleName", roleName), ("AssumeRolePolicyDocument", trust), ("MaxSessionDuration", "3600"));
            await CallAsync(http, "PutRolePolicy", ("RoleName", roleName), ("PolicyName", "admin"),
                ("PolicyDocument", """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""));
            roleArns.Add($"arn:aws:iam::{AccountId}:role/{roleName}");
        }
        var brokerPolicy = $$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"],"Resource":{{Json(roleArns)}}},
              {"Effect":"Allow","Action":["iam:PutRolePolicy","iam:GetRolePolicy","iam:DeleteRolePolicy"],"Resource":{{Json(roleArns)}}},
              {"Effect":"Allow","Action":["cloudtrail:LookupEvents"],"Resource":"*"}]}
            """;
        await CallAsync(http, "PutUserPolicy", ("UserName", brokerUser), ("PolicyName", "breakglass-broker"), ("PolicyDocument", brokerPolicy));
        return new AwsSandbox(
            keys.Descendants(Iam + "AccessKeyId").Single().Value,
            keys.Descendants(Iam + "SecretAccessKey").Single().Value,
            roleArns);
    }

    private static string Json(IEnumerable<string> values) => System.Text.Json.JsonSerializer.Serialize(values);

    private static async Task<XDocument> CallAsync(HttpClient http, string action, params (string Key, string Value)[] parameters)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", action), new("Version", "2010-05-08") };
        form.AddRange(parameters.Select(parameter => new KeyValuePair<string, string>(parameter.Key, parameter.Value)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new FormUrlEncodedContent(form) };
        // moto routes by the signing scope in the Authorization header; before enforcement the signature is not checked.
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0");
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"moto {action} failed: {body}");
        return XDocument.Parse(body);
    }
}
