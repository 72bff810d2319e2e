using System.CommandLine;
using BreakGlass.Cli.Aws;
using BreakGlass.Cli.Credentials;
using BreakGlass.Cli.Grants;
using BreakGlass.Cli.SignIn;

namespace BreakGlass.Cli;

internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("BreakGlass: emergency AWS access for exactly the window you need.")
        {
            options.Url,
            options.Json,
            SignInCommands.Login(host, options),
            SignInCommands.Logout(host, options),
            GrantCommands.Roles(host, options),
            GrantCommands.Request(host, options),
            GrantCommands.Status(host, options),
            GrantCommands.List(host, options),
            GrantCommands.End(host, options),
            CredentialCommands.Credentials(host, options),
            CredentialCommands.Env(host, options),
            ConsoleCommand.Create(host, options),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await host.Error.WriteLineAsync($"breakglass: {error.Message}");
            await host.Error.WriteLineAsync("Run `breakglass --help` for the commands and their options.");
            return (int)ExitCode.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = host.Output, Error = host.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    /// <summary>Runs a command's work and turns every failure into a sentence and an exit code.</summary>
    public static void SetHandler(this Command command, CliHost host, GlobalOptions options, Func<Invocation, CancellationToken, Task> work) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var invocation = new Invocation(host, options, parse);
            try
            {
                await work(invocation, cancellationToken);
                return (int)ExitCode.Success;
            }
            catch (CliException failure)
            {
                await host.Error.WriteLineAsync($"breakglass: {failure.Message}");
                return (int)failure.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await host.Error.WriteLineAsync("breakglass: interrupted.");
                return 130;
            }
            catch (Exception failure)
            {
                // A bug or an environment problem (a full disk, an unreadable file): the message, never the stack.
                await host.Error.WriteLineAsync($"breakglass: unexpected failure: {failure.Message}");
                return (int)ExitCode.Failure;
            }
        });
}
