using Microsoft.Extensions.DependencyInjection;

namespace BreakGlass.Aws.Iam;

internal static class IamServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IamClient"/> as a typed HttpClient that signs for IAM.
    /// Needs an <see cref="AwsEnvironment"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddIamClient(this IServiceCollection services)
    {
        services.AddHttpClient<IamClient>(http => http.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(provider =>
                IamClient.SigningHandler(provider.GetRequiredService<AwsEnvironment>(), new SocketsHttpHandler()));
        return services;
    }
}
