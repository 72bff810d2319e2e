using BreakGlass.Aws.Iam;

namespace BreakGlass.Revocation;

internal static class RevocationSetup
{
    public static IServiceCollection AddRevocationAws(this IServiceCollection services) => services.AddIamClient();
}
