namespace BreakGlass.Revocation;

internal static class RevocationSetup
{
    public static IServiceCollection AddRevocation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RevocationOptions>().Bind(configuration.GetSection(RevocationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<RoleRevokeAll>();
        services.AddTransient<RevokeGrantJob>();
        services.AddSingleton<RevocationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<RevocationSweeper>());
        return services;
    }
}
