using System.Text.Json;
using GraphQL;
using GraphQL.Execution;

namespace BreakGlass.Tests.Linear;

/// <summary>JSON in and out of GraphQL.NET without its serializer packages.</summary>
internal static class GraphQlJson
{
    /// <summary>Request variables as GraphQL.NET expects them: dictionaries, lists, strings, numbers, booleans.</summary>
    public static Inputs Variables(JsonElement? variables) =>
        variables is { ValueKind: JsonValueKind.Object } value
            ? new Inputs((Dictionary<string, object?>)Value(value)!)
            : Inputs.Empty;

    public static object? Data(ExecutionResult result) => result.Data switch
    {
        ExecutionNode node => node.ToValue(),
        var data => data,
    };

    public static Dictionary<string, object?> Error(ExecutionError error)
    {
        var body = new Dictionary<string, object?> { ["message"] = error.Message };
        if (error.Path is { } path)
            body["path"] = path.ToList();
        if (error.Locations is { Count: > 0 } locations)
            body["locations"] = locations.Select(l => new { line = l.Line, column = l.Column }).ToList();
        body["extensions"] = error switch
        {
            LinearDoubleError linear => linear.LinearExtensions(),
            _ => new Dictionary<string, object?>
            {
                ["type"] = "internal error",
                ["code"] = "INTERNAL_SERVER_ERROR",
                ["statusCode"] = 500,
                ["userError"] = false,
                ["userPresentableMessage"] = error.InnerException?.Message ?? error.Message,
            },
        };
        return body;
    }

    private static object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when element.TryGetInt32(out var i) => i,
        JsonValueKind.Number when element.TryGetInt64(out var l) => l,
        JsonValueKind.Number => element.GetDouble(),
        _ => null,
    };
}
