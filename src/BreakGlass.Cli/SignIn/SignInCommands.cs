using System.CommandLine;
using BreakGlass.Cli.Output;
using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.SignIn;

internal static class SignInCommands
{
    public static Command Login(CliHost host, GlobalOptions options)
    {
        var url = new Argument<string?>("URL") { Description = "The BreakGlass service (default: --url, $BREAKGLASS_URL or the last one).", Arity = ArgumentArity.ZeroOrOne };
        var browser = new Option<bool>("--browser") { Description = "Sign in in the browser (authorization code + PKCE on a loopback port) instead of with a device code." };
        var command = new Command("login", "Sign in (device code by default) and remember this service.") { url, browser };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            if (invocation.Value(url) is { } given) invocation.UseService(ServiceTarget.Parse(given));
            var tokens = await SignInSession.SignInAsync(host, invocation.Http, invocation.Service, invocation.Value(browser), cancellationToken);
            var service = ServiceTarget.Display(invocation.Service);
            if (invocation.Json)
            {
                JsonOutput.Write(host, new { service, authority = tokens.Authority, expiresAt = tokens.ExpiresAt, refreshable = tokens.RefreshToken is not null });
                return;
            }
            await host.Output.WriteLineAsync($"Signed in to {service} through {tokens.Authority}.");
            await host.Output.WriteLineAsync("Next: `breakglass roles`, then `breakglass request ROLE --for 1h --reason \"...\"`.");
        });
        return command;
    }

    public static Command Logout(CliHost host, GlobalOptions options)
    {
        var command = new Command("logout", "Forget this service's tokens on this machine.");
        command.SetHandler(host, options, async (invocation, _) =>
        {
            var forgot = new TokenStore(host).Forget(invocation.Service);
            var service = ServiceTarget.Display(invocation.Service);
            if (invocation.Json)
            {
                JsonOutput.Write(host, new { service, signedOut = forgot });
                return;
            }
            await host.Output.WriteLineAsync(forgot ? $"Signed out of {service}." : $"You were not signed in to {service}.");
        });
        return command;
    }
}
