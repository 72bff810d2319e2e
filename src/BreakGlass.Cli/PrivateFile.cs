namespace BreakGlass.Cli;

/// <summary>Files only their owner may read (tokens, credentials): created 0600 in a 0700 directory, replaced atomically.</summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    public static void Write(string path, string content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        // Created with the mode, never chmod-ed afterwards: there is no moment where another user could open it.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static string? Read(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    public static void Delete(string path)
    {
        if (File.Exists(path)) File.Delete(path);
    }
}
