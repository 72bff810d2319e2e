using System.Text.Json.Nodes;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Tests.Evidence;

/// <summary>Realistic CloudTrail records (Evidence/Fixtures), as AWS writes them for a break-glass session.</summary>
internal static class CloudTrailFixtures
{
    /// <summary>The access key of the break-glass session that made every fixture call.</summary>
    public const string SessionAccessKeyId = "ASIA3EXAMPLEGRANT0001";

    public static string Text(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Evidence", "Fixtures", name + ".json"));

    public static CloudTrailRecord Record(string name) => CloudTrailRecord.Parse(Text(name));

    public static JsonObject Node(string name) => JsonNode.Parse(Text(name))!.AsObject();
}
