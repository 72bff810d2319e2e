using Microsoft.Extensions.Options;

namespace BreakGlass.Tickets.Linear;

internal static class LinearServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Linear:*</c>, registers the typed <see cref="LinearClient"/> and the startup check.</summary>
    public static IServiceCollection AddLinear(this IServiceCollection services)
    {
        services.AddOptions<LinearOptions>().BindConfiguration(LinearOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LinearOptions>, LinearOptionsValidator>();
        services.AddHttpClient<LinearClient>((provider, http) =>
            http.Timeout = provider.GetRequiredService<IOptions<LinearOptions>>().Value.RequestTimeout);
        services.AddSingleton<LinearTargetCache>();
        services.AddTransient<LinearTargetResolver>();
        services.AddHostedService<LinearStartupCheck>();
        return services;
    }
}
