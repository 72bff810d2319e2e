using System.Xml.Linq;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace BreakGlass.LocalAws.Iam;

/// <summary>
/// The front's own signed IAM calls to moto, as an identity allowed everything in one account (moto finds the account
/// from the key). They are not recorded as CloudTrail events.
/// </summary>
internal sealed class MotoAdmin(Uri motoEndpoint, MotoAdminCredentials credentials)
{
    private readonly HttpClient _http = new(new SigV4SigningHandler(
        new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey), RegionEndpoint.USEast1, "iam", new SocketsHttpHandler()));

    /// <summary>The role's <c>MaxSessionDuration</c> in seconds, or null when there is no such role.</summary>
    public async Task<int?> RoleMaxSessionDurationAsync(string roleName, CancellationToken cancellationToken) =>
        await QueryAsync("GetRole", [new("RoleName", roleName)], cancellationToken) is { } role
            ? int.Parse(Value(role, "MaxSessionDuration") ?? "3600", System.Globalization.CultureInfo.InvariantCulture)
            : null;

    /// <summary>The role's trust policy, or null when there is no such role.</summary>
    public async Task<string?> RoleTrustPolicyAsync(string roleName, CancellationToken cancellationToken) =>
        await QueryAsync("GetRole", [new("RoleName", roleName)], cancellationToken) is { } role
            ? Uri.UnescapeDataString(Value(role, "AssumeRolePolicyDocument") ?? "")
            : null;

    /// <summary>The inline policy document as moto stores it, or null when there is none.</summary>
    public async Task<string?> RolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken) =>
        await QueryAsync("GetRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName)], cancellationToken) is { } policy
            ? Uri.UnescapeDataString(Value(policy, "PolicyDocument") ?? "")
            : null;

    public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken) =>
        QueryAsync("PutRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName), new("PolicyDocument", policyDocument)], cancellationToken);

    private async Task<XDocument?> QueryAsync(string action, KeyValuePair<string, string>[] parameters, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(parameters.Prepend(new("Version", "2010-05-08")).Prepend(new("Action", action)));
        using var response = await _http.PostAsync(motoEndpoint, content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto refused the front's {action} ({(int)response.StatusCode}): {body}");
        }
        return XDocument.Parse(body);
    }

    private static string? Value(XDocument document, string name) =>
        document.Descendants().FirstOrDefault(element => element.Name.LocalName == name)?.Value;
}
