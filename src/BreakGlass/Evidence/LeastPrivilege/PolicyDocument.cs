using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BreakGlass.Evidence.LeastPrivilege;

/// <summary>An IAM identity policy document, spelt as IAM spells it (<c>Version</c>, <c>Statement</c>, ...).</summary>
internal sealed record PolicyDocument(
    [property: JsonPropertyName("Version")] string Version,
    [property: JsonPropertyName("Statement")] IReadOnlyList<PolicyStatement> Statement)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document as it would be pasted into IAM: readable, without escapes IAM does not need.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Indented);

    /// <summary>The document without insignificant whitespace, as IAM measures it against its size limits.</summary>
    public string ToCompactJson() => JsonSerializer.Serialize(this, Compact);
}

internal sealed record PolicyStatement(
    [property: JsonPropertyName("Sid")] string Sid,
    [property: JsonPropertyName("Effect")] string Effect,
    [property: JsonPropertyName("Action")] IReadOnlyList<string> Action,
    [property: JsonPropertyName("Resource")] IReadOnlyList<string> Resource);
