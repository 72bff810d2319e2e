using System.Text.Json.Nodes;

namespace BreakGlass.LocalAws.Proxy;

/// <summary>
/// Builds CloudTrail's <c>requestParameters</c>: member names in lowerCamelCase, lists nested, and secrets
/// replaced as CloudTrail replaces them.
/// </summary>
internal static class RequestParameters
{
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    /// <summary>From Query-protocol parameters (<c>Tags.member.1.Key=team</c>, <c>IpPermissions.1.IpRanges.1.CidrIp=...</c>).</summary>
    public static JsonObject FromQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var root = new JsonObject();
        foreach (var (name, value) in parameters)
        {
            // "member" only wraps list items in the Query protocol; CloudTrail shows plain lists.
            var path = name.Split('.').Where(segment => segment != "member").ToArray();
            Set(root, path, IsSecret(name) ? Hidden : value);
        }
        return root;
    }

    /// <summary>From a JSON-protocol body: same members, lowerCamelCase names.</summary>
    public static JsonObject FromJson(JsonObject body) => (JsonObject)Rename(body, secret: false)!;

    private static JsonNode? Rename(JsonNode? node, bool secret) => node switch
    {
        _ when secret && node is JsonValue => JsonValue.Create(Hidden),
        JsonObject obj => new JsonObject(obj.Select(property =>
            KeyValuePair.Create(LowerCamel(property.Key), Rename(property.Value, secret || IsSecret(property.Key))))),
        JsonArray array => new JsonArray(array.Select(item => Rename(item, secret)).ToArray()),
        _ => node?.DeepClone(),
    };

    private static void Set(JsonObject root, string[] path, string value)
    {
        JsonNode container = root;
        for (var i = 0; i < path.Length; i++)
        {
            var last = i == path.Length - 1;
            JsonNode Create() => last ? JsonValue.Create(value) : int.TryParse(path[i + 1], out _) ? new JsonArray() : new JsonObject();
            switch (container)
            {
                case JsonArray array when int.TryParse(path[i], out var position) && position is > 0 and < 1000:
                    while (array.Count < position) array.Add(null);
                    if (last || array[position - 1] is null) array[position - 1] = Create();
                    container = array[position - 1]!;
                    break;
                case JsonObject obj:
                    var name = LowerCamel(path[i]);
                    if (last || obj[name] is null) obj[name] = Create();
                    container = obj[name]!;
                    break;
                default:
                    return; // Names that disagree on a member's shape: keep the first reading.
            }
        }
    }

    private static bool IsSecret(string name) =>
        name.Contains("password", StringComparison.OrdinalIgnoreCase) || name.Contains("secret", StringComparison.OrdinalIgnoreCase);

    private static string LowerCamel(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
