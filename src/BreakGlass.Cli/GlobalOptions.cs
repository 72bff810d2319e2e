using System.CommandLine;

namespace BreakGlass.Cli;

/// <summary>Options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Url { get; } = new("--url")
    {
        Description = "The BreakGlass service (default: $BREAKGLASS_URL, else the one you last signed in to).",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON for scripts instead of tables.", Recursive = true };
}
