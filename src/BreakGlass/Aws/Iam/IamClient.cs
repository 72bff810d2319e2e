using System.Xml.Linq;
using Amazon;
using Microsoft.Extensions.Logging;
using Polly;

namespace BreakGlass.Aws.Iam;

/// <summary>
/// The IAM operations BreakGlass needs, over IAM's Query protocol (form-encoded POST, XML answers).
/// <paramref name="http"/> must sign for IAM: build it on <see cref="SigningHandler"/>.
/// Each call retries throttling and transient failures a few times, then throws <see cref="IamException"/>.
/// </summary>
internal sealed class IamClient(HttpClient http, AwsEnvironment aws, TimeProvider time, ILogger<IamClient> logger)
{
    public const string ApiVersion = "2010-05-08";

    // IAM is global: its one endpoint takes signatures for us-east-1 whatever region BreakGlass runs in.
    public static readonly RegionEndpoint SigningRegion = RegionEndpoint.USEast1;

    private readonly Uri _endpoint = aws.EndpointFor("iam", "iam.amazonaws.com");
    private readonly ResiliencePipeline _retry = AwsRetry.Pipeline(e => e is IamException { IsTransient: true }, time, logger);

    public static HttpMessageHandler SigningHandler(AwsEnvironment aws, HttpMessageHandler transport) =>
        aws.SigningHandler("iam", transport, SigningRegion);

    /// <summary>Creates or replaces the inline policy <paramref name="policyName"/> on the role.</summary>
    public Task PutRolePolicyAsync(string roleName, string policyName, string policyDocument, CancellationToken cancellationToken = default) =>
        SendAsync(
            "PutRolePolicy",
            [new("RoleName", roleName), new("PolicyName", policyName), new("PolicyDocument", policyDocument)],
            cancellationToken);

    /// <summary>The inline policy's JSON document, or null when the role has no policy of that name (or no longer exists).</summary>
    public async Task<string?> GetRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await SendAsync(
                "GetRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName)], cancellationToken);
            var document = response.Descendants().Single(e => e.Name.LocalName == "PolicyDocument").Value;
            // IAM returns the document URL-encoded (RFC 3986), not as the JSON it was given.
            return Uri.UnescapeDataString(document);
        }
        catch (IamException e) when (e.Code == IamException.NoSuchEntity)
        {
            return null;
        }
    }

    /// <summary>The role's trust policy (who may assume it) as JSON, or null when there is no such role.</summary>
    public async Task<string?> GetRoleTrustPolicyAsync(string roleName, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await SendAsync("GetRole", [new("RoleName", roleName)], cancellationToken);
            // URL-encoded (RFC 3986) like every policy document IAM returns.
            return Uri.UnescapeDataString(response.Descendants().Single(e => e.Name.LocalName == "AssumeRolePolicyDocument").Value);
        }
        catch (IamException e) when (e.Code == IamException.NoSuchEntity)
        {
            return null;
        }
    }

    /// <summary>Removes the inline policy; a policy (or role) that is already gone counts as removed.</summary>
    public async Task DeleteRolePolicyAsync(string roleName, string policyName, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync("DeleteRolePolicy", [new("RoleName", roleName), new("PolicyName", policyName)], cancellationToken);
        }
        catch (IamException e) when (e.Code == IamException.NoSuchEntity)
        {
        }
    }

    private async Task<XDocument> SendAsync(
        string action, KeyValuePair<string, string>[] parameters, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(AwsRetry.Operation, $"iam:{action}");
        try
        {
            return await _retry.ExecuteAsync(
                static (ctx, state) => state.Client.SendOnceAsync(state.Action, state.Parameters, ctx.CancellationToken),
                context,
                (Client: this, Action: action, Parameters: parameters));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // A new request per attempt: a sent HttpRequestMessage cannot be sent again, and each attempt needs a fresh signature date.
    private async ValueTask<XDocument> SendOnceAsync(
        string action, KeyValuePair<string, string>[] parameters, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new FormUrlEncodedContent([new("Action", action), new("Version", ApiVersion), .. parameters]),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw IamException.FromResponse(response.StatusCode, body);
        }
        return XDocument.Parse(body);
    }
}
