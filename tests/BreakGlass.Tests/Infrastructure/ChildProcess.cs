using System.Collections.Concurrent;
using System.Diagnostics;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>What a finished command left behind.</summary>
internal sealed record ChildProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

internal static class ChildProcess
{
    /// <summary>Starts a long-running process (a server), every line it writes going to <paramref name="log"/>.</summary>
    public static Process StartLogged(ProcessStartInfo info, ConcurrentQueue<string> log)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {info.FileName}");
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) log.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) log.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a command to completion and fails loudly with its output when it does not succeed.</summary>
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var result = await ExecuteAsync(fileName, arguments, environment?.ToDictionary(pair => pair.Key, pair => (string?)pair.Value));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited {result.ExitCode}: {result.Stdout}{result.Stderr}");
        }
        return result.Stdout;
    }

    /// <summary>
    /// Runs a command whatever its exit code, with stdin closed (no terminal: what a script or CI sees). An environment
    /// value of null removes that variable from what the child inherits.
    /// </summary>
    public static async Task<ChildProcessResult> ExecuteAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ChildProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
