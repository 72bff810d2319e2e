namespace BreakGlass.Tests.Infrastructure;

/// <summary>The checkout the tests were built from: for tests of files shipped beside the code (deploy/, docs/).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BreakGlass.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no BreakGlass.sln above {AppContext.BaseDirectory}");
    }
}
