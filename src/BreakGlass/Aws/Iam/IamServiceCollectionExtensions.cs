using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BreakGlass.Aws.Iam;

internal static class IamServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IamClient"/> as a typed HttpClient that signs for IAM.
    /// Needs an <see cref="AwsEnvironment"/> singleton; adds <see cref="TimeProvider.System"/> unless one is registered.
    /// </summary>
    public static IServiceCollection AddIamClient(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<IamClient>(http => http.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(provider =>
                IamClient.SigningHandler(provider.GetRequiredService<AwsEnvironment>(), new SocketsHttpHandler()));
        return services;
    }
}
