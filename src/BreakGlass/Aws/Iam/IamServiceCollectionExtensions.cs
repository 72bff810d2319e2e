using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BreakGlass.Aws.Iam;

internal static class IamServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IamClient"/> as a typed HttpClient that signs for IAM.
    /// Needs an <see cref="AwsEnvironment"/> singleton; adds <see cref="TimeProvider.System"/> unless one is registered.
    /// <paramref name="timeout"/> bounds one request (default 15 s); a request that takes longer is a failed, retried attempt.
    /// </summary>
    public static IServiceCollection AddIamClient(this IServiceCollection services, Func<IServiceProvider, TimeSpan>? timeout = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<IamClient>((provider, http) => http.Timeout = timeout?.Invoke(provider) ?? TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(provider =>
                IamClient.SigningHandler(provider.GetRequiredService<AwsEnvironment>(), new SocketsHttpHandler()));
        return services;
    }
}
