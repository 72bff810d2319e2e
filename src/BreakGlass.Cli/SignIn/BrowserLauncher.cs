using System.Diagnostics;

namespace BreakGlass.Cli.SignIn;

/// <summary>
/// Opens a URL in the engineer's browser when there is one: only for a person at a terminal, and on Linux only with
/// a desktop session (or <c>$BROWSER</c>). Headless machines, scripts and tests just get the URL printed.
/// </summary>
internal static class BrowserLauncher
{
    public static bool TryOpen(CliHost host, string url)
    {
        if (!host.Interactive) return false;
        try
        {
            var command = Command(host);
            if (command is null) return false;
            var info = new ProcessStartInfo(command) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(url);
            using var process = Process.Start(info);
            return process is not null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? Command(CliHost host)
    {
        if (host.Variable("BROWSER") is { } browser) return browser;
        if (OperatingSystem.IsMacOS()) return "open";
        if (OperatingSystem.IsWindows()) return "explorer.exe";
        var desktop = host.Variable("DISPLAY") is not null || host.Variable("WAYLAND_DISPLAY") is not null;
        return desktop ? "xdg-open" : null;
    }
}
