using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace BreakGlass.Aws.Iam;

/// <summary>
/// Makes an <see cref="IamClient"/> for one identity (the broker's own, or an account's agent session). Each client
/// signs with its identity and takes the settings registered for <c>nameof(IamClient)</c> (revocation sets the timeout).
/// </summary>
internal sealed class IamClients(IOptionsMonitor<HttpClientFactoryOptions> settings, TimeProvider time, ILogger<IamClient> logger)
{
    public IamClient For(AwsEnvironment aws)
    {
        var http = new HttpClient(IamClient.SigningHandler(aws, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }))
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        foreach (var configure in settings.Get(nameof(IamClient)).HttpClientActions) configure(http);
        return new IamClient(http, aws, time, logger);
    }
}

internal static class IamServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IamClients"/>; needs a <see cref="TimeProvider"/>.</summary>
    public static IServiceCollection AddIamClients(this IServiceCollection services)
    {
        services.AddOptions<HttpClientFactoryOptions>(nameof(IamClient));
        services.AddSingleton<IamClients>();
        return services;
    }
}
