using System.Collections.Concurrent;
using System.Diagnostics;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Cli;

/// <summary>
/// An engineer's machine for the CLI under test: its own home (config directory, AWS config file), a
/// <c>breakglass</c> on PATH that runs the built CLI (what <c>dotnet tool install</c> provides), no AWS credentials of
/// its own, no terminal and no browser. The AWS CLI on it talks to moto.
/// </summary>
internal sealed class EngineerWorkstation : IDisposable
{
    public EngineerWorkstation(Uri awsEndpoint, string? token = null)
    {
        Home = Path.Combine(Path.GetTempPath(), "bg-engineer-" + Guid.NewGuid().ToString("N")[..8]);
        var bin = Path.Combine(Home, "bin");
        Directory.CreateDirectory(bin);
        var launcher = Path.Combine(bin, "breakglass");
        File.WriteAllText(launcher, $"#!/bin/sh\nexec dotnet '{CliDll}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Variables = new Dictionary<string, string?>
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, "xdg"),
            ["AWS_CONFIG_FILE"] = AwsConfigFile,
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Home, "no-such-credentials-file"),
            ["AWS_ENDPOINT_URL"] = awsEndpoint.ToString(),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["BREAKGLASS_TOKEN"] = token,
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (var inherited in new[]
                 {
                     "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION",
                     "AWS_DEFAULT_REGION", "BREAKGLASS_URL", "BREAKGLASS_FEDERATION_URL", "DISPLAY", "WAYLAND_DISPLAY", "BROWSER",
                 })
        {
            Variables.TryAdd(inherited, null);
        }
    }

    /// <summary>
    /// The CLI in its own build output, with the dependencies it ships with: next to the tests, libraries that ASP.NET
    /// Core's shared framework provides to them (e.g. Microsoft.Extensions.Logging.Abstractions) are not copied.
    /// </summary>
    public static string CliDll { get; } = FindCliDll();

    private static string FindCliDll()
    {
        // bin/<Configuration>/<tfm>/ of the test (or bench) project, mirrored under src/BreakGlass.Cli.
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var repository = output.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(repository, "src", "BreakGlass.Cli", "bin", configuration, framework, "BreakGlass.Cli.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/BreakGlass.Cli first (the test project references it)", dll);
    }

    public string Home { get; }

    public string ConfigDirectory => Path.Combine(Home, "xdg", "breakglass");

    public string AwsConfigFile => Path.Combine(Home, "aws-config");

    /// <summary>The environment both the CLI and the AWS CLI run with (null: not set).</summary>
    public Dictionary<string, string?> Variables { get; }

    public Task<ChildProcessResult> BreakGlassAsync(params string[] arguments) => ChildProcess.ExecuteAsync("dotnet", [CliDll, .. arguments], Variables);

    /// <summary>Starts the CLI without waiting (a sign-in that waits for the browser); every line it writes goes to <paramref name="log"/>.</summary>
    public Process StartBreakGlass(ConcurrentQueue<string> log, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet", [CliDll, .. arguments]);
        foreach (var (key, value) in Variables)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        return ChildProcess.StartLogged(info, log);
    }

    public Task<ChildProcessResult> AwsAsync(params string[] arguments) => ChildProcess.ExecuteAsync("aws", arguments, Variables);

    /// <summary>Every file the CLI keeps under its config directory (tokens, credentials, the remembered service).</summary>
    public IEnumerable<string> ConfigFiles() =>
        Directory.Exists(ConfigDirectory) ? Directory.EnumerateFiles(ConfigDirectory, "*", SearchOption.AllDirectories) : [];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
