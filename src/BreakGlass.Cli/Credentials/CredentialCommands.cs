using System.CommandLine;
using System.Globalization;
using BreakGlass.Cli.Output;

namespace BreakGlass.Cli.Credentials;

internal static class CredentialCommands
{
    /// <summary>The AWS CLI/SDK <c>credential_process</c> contract; never prompts (another program runs it).</summary>
    public static Command Credentials(CliHost host, GlobalOptions options)
    {
        var role = new Option<string>("--role") { Description = "The break-glass role (as in `breakglass roles`).", Required = true };
        var command = new Command("credentials", "Print credentials for an AWS profile's credential_process (JSON, Version 1).") { role };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var session = await new GrantCredentials(invocation, invocation.Api(maySignIn: false)).GetAsync(invocation.Value(role), cancellationToken);
            JsonOutput.Write(host, ProcessCredentials(session));
        });
        return command;
    }

    public static Command Env(CliHost host, GlobalOptions options)
    {
        var role = new Argument<string>("ROLE") { Description = "The break-glass role." };
        var command = new Command("env", "Print `export AWS_...` lines for the role's open grant (eval \"$(breakglass env ROLE)\").") { role };
        command.SetHandler(host, options, async (invocation, cancellationToken) =>
        {
            var session = await new GrantCredentials(invocation, invocation.Api()).GetAsync(invocation.Value(role), cancellationToken);
            if (invocation.Json)
            {
                JsonOutput.Write(host, ProcessCredentials(session));
                return;
            }
            var credentials = session.Credentials;
            await host.Output.WriteLineAsync($"# breakglass grant {session.GrantId} on {session.Role} ends {Human.When(session.GrantExpiresAt)}");
            await host.Output.WriteLineAsync($"export AWS_ACCESS_KEY_ID={credentials.AccessKeyId}");
            await host.Output.WriteLineAsync($"export AWS_SECRET_ACCESS_KEY={credentials.SecretAccessKey}");
            await host.Output.WriteLineAsync($"export AWS_SESSION_TOKEN={credentials.SessionToken}");
            await host.Output.WriteLineAsync($"export AWS_CREDENTIAL_EXPIRATION={Iso(credentials.Expiration)}");
        });
        return command;
    }

    private static ProcessCredentialsOutput ProcessCredentials(GrantSession session) =>
        new(1, session.Credentials.AccessKeyId, session.Credentials.SecretAccessKey, session.Credentials.SessionToken, Iso(session.Credentials.Expiration));

    private static string Iso(DateTimeOffset moment) => moment.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Exactly the names the AWS SDKs read (PascalCase, not the service's camelCase).</summary>
    private sealed record ProcessCredentialsOutput(
        [property: System.Text.Json.Serialization.JsonPropertyName("Version")] int Version,
        [property: System.Text.Json.Serialization.JsonPropertyName("AccessKeyId")] string AccessKeyId,
        [property: System.Text.Json.Serialization.JsonPropertyName("SecretAccessKey")] string SecretAccessKey,
        [property: System.Text.Json.Serialization.JsonPropertyName("SessionToken")] string SessionToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("Expiration")] string Expiration);
}
