namespace BreakGlass.Cli;

/// <summary>
/// Everything the CLI takes from the machine it runs on: environment, clock, terminal and streams. The process gets the
/// real ones; tests run the same commands in-process with their own (a fake clock, captured output, no terminal).
/// </summary>
internal sealed class CliHost(Func<string, string?> variable, TimeProvider time, TextWriter output, TextWriter error, bool interactive)
{
    public static CliHost FromProcess() =>
        new(Environment.GetEnvironmentVariable, TimeProvider.System, Console.Out, Console.Error,
            interactive: !Console.IsInputRedirected && !Console.IsErrorRedirected);

    public TimeProvider Time { get; } = time;
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;

    /// <summary>A person at a terminal: only then does the CLI prompt, sign in on its own or open a browser.</summary>
    public bool Interactive { get; } = interactive;

    public string? Variable(string name) => variable(name) is { Length: > 0 } value ? value : null;

    public string HomeDirectory => Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary><c>$XDG_CONFIG_HOME/breakglass</c>, else <c>~/.config/breakglass</c>: tokens, cached credentials, the default URL.</summary>
    public string ConfigDirectory => Path.Combine(Variable("XDG_CONFIG_HOME") ?? Path.Combine(HomeDirectory, ".config"), "breakglass");
}
