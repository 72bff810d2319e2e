using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BreakGlass.LocalAws.Iam;

/// <summary>
/// How the front keeps moto from applying a conditional deny to every session: moto stores the deny with its
/// <c>Resource</c> replaced by an ARN no request names, so moto's own evaluation skips it, and the front evaluates it
/// with <see cref="DenyStatementEvaluator"/>. Reading the policy back restores <c>"*"</c>.
/// </summary>
internal static class NeutralisedDeny
{
    public const string Sentinel = "arn:aws:localaws:::conditions-evaluated-by-the-local-aws-front";

    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document moto stores, or null when no statement needs the front (nothing to rewrite).</summary>
    public static string? Neutralise(string policyDocument) => Rewrite(policyDocument, statement =>
        statement["Effect"]?.GetValue<string>() == "Deny" && statement["Condition"] is not null && IsStar(statement["Resource"]),
        Sentinel);

    /// <summary>The document as it was given, or null when it holds no neutralised statement.</summary>
    public static string? Restore(string policyDocument) => Rewrite(policyDocument, statement =>
        statement["Resource"] is JsonValue value && value.TryGetValue<string>(out var text) && text == Sentinel, "*");

    private static string? Rewrite(string policyDocument, Func<JsonObject, bool> applies, string resource)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(policyDocument);
        }
        catch (JsonException)
        {
            return null;
        }
        var statements = root?["Statement"] switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => [],
        };
        var changed = false;
        foreach (var statement in statements.Where(applies))
        {
            statement["Resource"] = resource;
            changed = true;
        }
        return changed ? root!.ToJsonString(Compact) : null;
    }

    private static bool IsStar(JsonNode? resource) => resource is JsonValue value && value.TryGetValue<string>(out var text) && text == "*";
}
