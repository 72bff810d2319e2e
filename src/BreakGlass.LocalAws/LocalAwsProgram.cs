namespace BreakGlass.LocalAws;

/// <summary><c>dotnet BreakGlass.LocalAws.dll --urls http://127.0.0.1:4566 --moto http://127.0.0.1:5000 [--account 123456789012] [--admin-access-key-id K --admin-secret-access-key S]</c></summary>
internal static class LocalAwsProgram
{
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (!Uri.TryCreate(builder.Configuration["moto"], UriKind.Absolute, out var moto))
        {
            await Console.Error.WriteLineAsync("usage: BreakGlass.LocalAws --urls http://127.0.0.1:4566 --moto http://127.0.0.1:5000 [--account 123456789012] [--admin-access-key-id K --admin-secret-access-key S]");
            return 2;
        }
        var options = new LocalAwsOptions();
        if (builder.Configuration["account"] is { Length: > 0 } account)
        {
            options = options with { AccountId = account };
        }
        if (builder.Configuration["admin-access-key-id"] is { Length: > 0 } adminKey && builder.Configuration["admin-secret-access-key"] is { Length: > 0 } adminSecret)
        {
            options = options with { MotoAdmin = new MotoAdminCredentials(adminKey, adminSecret) };
        }
        await using var app = LocalAwsApp.Build(builder, moto, options);
        await app.RunAsync();
        return 0;
    }
}
