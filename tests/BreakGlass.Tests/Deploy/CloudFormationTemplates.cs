using System.Text.Json.Nodes;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Deploy;

/// <summary>The CloudFormation templates in deploy/aws, read as CloudFormation reads them (cfn-lint's own decoder).</summary>
internal static class CloudFormationTemplates
{
    // cfn-lint's decoder understands the short intrinsic tags (!Ref, !Sub, !If) that plain YAML parsers refuse.
    private const string Decode = """
        import json, sys
        from cfnlint.decode import decode
        template, problems = decode(sys.argv[1])
        if problems: sys.exit("\n".join(str(problem) for problem in problems))
        print(json.dumps(template, default=str))
        """;

    public static string Folder { get; } = Path.Combine(Repository.Root, "deploy", "aws");

    public static IReadOnlyList<string> All => Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal).ToList();

    public static async Task<JsonObject> ReadAsync(string name) =>
        JsonNode.Parse(await ChildProcess.RunAsync("python3", ["-c", Decode, Path.Combine(Folder, name)]))!.AsObject();

    /// <summary>The statement with <paramref name="sid"/>, looking inside <c>Fn::If</c> branches too.</summary>
    public static JsonObject Statement(JsonNode statements, string sid) =>
        statements.AsArray()
            .SelectMany(statement => statement!["Fn::If"] is JsonArray branches ? branches.Skip(1) : [statement])
            .OfType<JsonObject>()
            .Single(statement => (string?)statement["Sid"] == sid);

    /// <summary>A policy element as strings: plain strings as they are, intrinsic functions as their JSON.</summary>
    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        JsonArray list => list.SelectMany(Strings).ToList(),
        JsonValue value when value.TryGetValue<string>(out var text) => [text],
        null => [],
        _ => [node.ToJsonString()],
    };
}
