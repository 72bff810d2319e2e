using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>
/// Who an access key belongs to, learnt from the responses that issue keys (sts:AssumeRole,
/// iam:CreateAccessKey) as they pass through, so recorded events carry a CloudTrail userIdentity.
/// Only names and ids are kept, never the secret keys or session tokens those responses carry.
/// </summary>
internal sealed class KnownIdentities(LocalAwsOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, JsonObject> _byAccessKey = new(StringComparer.Ordinal);

    public static bool Reveals(AwsCall call) => (call.Service, call.Action) is ("sts", "AssumeRole") or ("iam", "CreateAccessKey");

    public void Learn(AwsCall call, CallOutcome outcome)
    {
        if (outcome.StatusCode != StatusCodes.Status200OK || outcome.Body is null || !Reveals(call)) return;
        XDocument response;
        try
        {
            response = XDocument.Load(new MemoryStream(outcome.Body));
        }
        catch (System.Xml.XmlException)
        {
            return;
        }
        string? Element(string name) => response.Descendants().FirstOrDefault(element => element.Name.LocalName == name)?.Value;
        var accessKeyId = Element("AccessKeyId");
        if (accessKeyId is null) return;
        var identity = call.Action == "AssumeRole"
            ? AssumedRole(accessKeyId, Element("AssumedRoleId"), Element("Arn"), call.RequestParameters["sourceIdentity"]?.GetValue<string>())
            : IamUser(accessKeyId, Element("UserName"));
        if (identity is not null) _byAccessKey[accessKeyId] = identity;
    }

    /// <summary>The userIdentity of a call signed with <paramref name="accessKeyId"/>.</summary>
    public JsonObject UserIdentityOf(string accessKeyId) =>
        _byAccessKey.TryGetValue(accessKeyId, out var identity)
            ? (JsonObject)identity.DeepClone()
            : new JsonObject { ["type"] = "Unknown", ["accountId"] = options.AccountId, ["accessKeyId"] = accessKeyId };

    /// <summary>The account a call signed with <paramref name="accessKeyId"/> acts in (the front's own for a key it did not see issued).</summary>
    public string AccountOf(string accessKeyId) =>
        _byAccessKey.TryGetValue(accessKeyId, out var identity) && identity["accountId"]?.GetValue<string>() is { } account ? account : options.AccountId;

    private JsonObject? AssumedRole(string accessKeyId, string? assumedRoleId, string? arn, string? sourceIdentity)
    {
        // arn:aws:sts::123456789012:assumed-role/RoleName/SessionName
        var parts = arn?.Split(':', 6);
        var resource = parts is { Length: 6 } ? parts[5].Split('/') : [];
        if (assumedRoleId is null || resource is not ["assumed-role", var roleName, _]) return null;
        var account = parts![4];
        var sessionContext = new JsonObject
        {
            ["sessionIssuer"] = new JsonObject
            {
                ["type"] = "Role",
                ["principalId"] = assumedRoleId.Split(':')[0],
                ["arn"] = $"arn:aws:iam::{account}:role/{roleName}",
                ["accountId"] = account,
                ["userName"] = roleName,
            },
            ["attributes"] = new JsonObject
            {
                ["creationDate"] = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["mfaAuthenticated"] = "false",
            },
        };
        if (sourceIdentity is not null) sessionContext["sourceIdentity"] = sourceIdentity;
        return new JsonObject
        {
            ["type"] = "AssumedRole",
            ["principalId"] = assumedRoleId,
            ["arn"] = arn,
            ["accountId"] = account,
            ["accessKeyId"] = accessKeyId,
            ["sessionContext"] = sessionContext,
        };
    }

    private JsonObject? IamUser(string accessKeyId, string? userName) =>
        userName is null
            ? null
            : new JsonObject
            {
                ["type"] = "IAMUser",
                ["arn"] = $"arn:aws:iam::{options.AccountId}:user/{userName}",
                ["accountId"] = options.AccountId,
                ["accessKeyId"] = accessKeyId,
                ["userName"] = userName,
            };
}
