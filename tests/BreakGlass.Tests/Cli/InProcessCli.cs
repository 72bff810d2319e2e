using BreakGlass.Cli;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Cli;

/// <summary>The same commands as the built CLI, run in this process with an injected clock and captured output.</summary>
internal sealed class InProcessCli(IReadOnlyDictionary<string, string?> variables, TimeProvider time)
{
    public async Task<ChildProcessResult> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var host = new CliHost(name => variables.GetValueOrDefault(name), time, output, error, interactive: false);
        var exitCode = await CliApp.RunAsync(arguments, host);
        return new ChildProcessResult(exitCode, output.ToString(), error.ToString());
    }
}
