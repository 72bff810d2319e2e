using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BreakGlass.WrittenPolicy;

/// <summary>The policy in one version: its content, the canonical JSON its version is the SHA-256 of, and its Markdown.</summary>
internal sealed record GeneratedPolicy(PolicyContent Content, string CanonicalJson, string Version, string Markdown)
{
    public static GeneratedPolicy From(PolicyContent content)
    {
        var canonical = BreakGlass.Audit.CanonicalJson.ToText(JsonSerializer.SerializeToElement(content, PolicyContentJson.Options));
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new GeneratedPolicy(content, canonical, version, PolicyMarkdown.Render(content, version));
    }
}
