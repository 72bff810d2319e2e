namespace BreakGlass.Cli;

/// <summary>A failure the engineer can act on: one sentence to stderr and a documented exit code, never a stack trace.</summary>
internal sealed class CliException(ExitCode exitCode, string message) : Exception(message)
{
    public ExitCode ExitCode { get; } = exitCode;
}
