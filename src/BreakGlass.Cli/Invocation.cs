using System.CommandLine;
using BreakGlass.Cli.Output;
using BreakGlass.Cli.Service;
using BreakGlass.Cli.SignIn;
using Spectre.Console;

namespace BreakGlass.Cli;

/// <summary>One command being run: its parsed arguments, the host, and the service it talks to.</summary>
internal sealed class Invocation(CliHost host, GlobalOptions options, ParseResult parse) : IDisposable
{
    private Uri? _service;
    private IAnsiConsole? _console;

    public CliHost Host { get; } = host;
    public ParseResult Parse { get; } = parse;
    public bool Json => Parse.GetValue(options.Json);
    public DateTimeOffset Now => Host.Time.GetUtcNow();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Uri Service => _service ??= ServiceTarget.Resolve(Host, Parse.GetValue(options.Url));

    public IAnsiConsole Console => _console ??= Human.Console(Host.Output);

    /// <summary>Sets the service explicitly (<c>breakglass login URL</c>).</summary>
    public void UseService(Uri service) => _service = service;

    /// <summary>The API, signed in. <paramref name="maySignIn"/> false for commands other programs run (credential_process).</summary>
    public BreakGlassApi Api(bool maySignIn = true) => new(Service, Http, new SignInSession(Host, Service, Http, maySignIn && !Json));

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public void Dispose() => Http.Dispose();
}
