using BreakGlass.Aws.Iam;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace BreakGlass.Revocation;

internal static class RevocationSetup
{
    public static IServiceCollection AddRevocation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RevocationOptions>().Bind(configuration.GetSection(RevocationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // IAM is called only to revoke: its per-request timeout is revocation's setting, applied to the typed client AddAws registers.
        services.AddOptions<HttpClientFactoryOptions>(nameof(IamClient))
            .Configure<IOptions<RevocationOptions>>((factory, revocation) =>
                factory.HttpClientActions.Add(http => http.Timeout = TimeSpan.FromSeconds(revocation.Value.IamTimeoutSeconds)));
        services.AddSingleton<RoleDenyWriter>();
        services.AddSingleton<RevocationService>();
        services.AddSingleton<RoleRevokeAll>();
        services.AddTransient<RevokeGrantJob>();
        services.AddSingleton<RevocationSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<RevocationSweeper>());
        services.AddSingleton<DenyReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<DenyReconciler>());
        return services;
    }
}
