using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BreakGlass.LocalAws.Proxy;

namespace BreakGlass.LocalAws.Iam;

/// <summary>An assumed-role session the front saw STS issue, with what IAM evaluates about it.</summary>
internal sealed record IssuedSession(string AccessKeyId, string Arn, string RoleName, SessionContext Context, IReadOnlyCollection<string> TransitiveTagKeys);

/// <summary>
/// The sessions issued by the <c>sts:AssumeRole</c> calls that passed through the front, learnt from the request
/// (tags, source identity) and the response (key). moto does not keep session tags; this does. Sessions issued by
/// calls made straight to moto are unknown here and get no evaluation.
/// </summary>
internal sealed class IssuedSessions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, IssuedSession> _byAccessKey = new(StringComparer.Ordinal);

    public IssuedSession? Find(string accessKeyId) => _byAccessKey.GetValueOrDefault(accessKeyId);

    public void Learn(AwsCall call, CallOutcome outcome)
    {
        if ((call.Service, call.Action) is not ("sts", "AssumeRole") || outcome.StatusCode != 200 || outcome.Body is null) return;
        var response = XDocument.Load(new MemoryStream(outcome.Body));
        string? Element(string name) => response.Descendants().FirstOrDefault(element => element.Name.LocalName == name)?.Value;
        var accessKeyId = Element("AccessKeyId");
        var roleArn = call.RequestParameters["roleArn"]?.GetValue<string>();
        if (accessKeyId is null || roleArn is null) return;

        var parent = Find(call.Credential.AccessKeyId);
        // Chaining keeps the parent's transitive tags and its source identity, which cannot change once set.
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (parent is not null)
        {
            foreach (var key in parent.TransitiveTagKeys)
            {
                if (parent.Context.PrincipalTags.TryGetValue(key, out var value)) tags[key] = value;
            }
        }
        foreach (var tag in (call.RequestParameters["tags"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (tag["key"]?.GetValue<string>() is { } key) tags[key] = tag["value"]?.GetValue<string>() ?? "";
        }
        var transitive = (call.RequestParameters["transitiveTagKeys"] as JsonArray ?? [])
            .Select(key => key?.GetValue<string>() ?? "")
            .Concat(parent?.TransitiveTagKeys ?? [])
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sourceIdentity = parent?.Context.SourceIdentity ?? call.RequestParameters["sourceIdentity"]?.GetValue<string>();
        _byAccessKey[accessKeyId] = new IssuedSession(
            accessKeyId, Element("Arn") ?? roleArn, roleArn[(roleArn.LastIndexOf('/') + 1)..], new SessionContext(tags, sourceIdentity, time.GetUtcNow()), transitive);
    }
}
