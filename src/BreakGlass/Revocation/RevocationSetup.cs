using BreakGlass.Aws.Iam;
using Microsoft.Extensions.Options;

namespace BreakGlass.Revocation;

internal static class RevocationSetup
{
    public static IServiceCollection AddRevocationAws(this IServiceCollection services)
    {
        services.AddIamClient(provider => TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<RevocationOptions>>().Value.IamTimeoutSeconds));
        services.AddSingleton<RoleDenyWriter>();
        services.AddSingleton<DenyReconciler>();
        services.AddHostedService(provider => provider.GetRequiredService<DenyReconciler>());
        return services;
    }
}
