using System.Text.Json;
using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.Output;

/// <summary><c>--json</c>: one JSON document on stdout, in the service's own field names.</summary>
internal static class JsonOutput
{
    public static void Write<T>(CliHost host, T value) => host.Output.WriteLine(JsonSerializer.Serialize(value, ApiJson.Options));
}
