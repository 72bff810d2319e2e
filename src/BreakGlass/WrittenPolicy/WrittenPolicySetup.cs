namespace BreakGlass.WrittenPolicy;

internal static class WrittenPolicySetup
{
    /// <summary>The generated policy, its versions and their approval. Register after the features whose options it reads.</summary>
    public static IServiceCollection AddWrittenPolicy(this IServiceCollection services)
    {
        services.AddSingleton<CurrentPolicy>();
        services.AddSingleton<PolicyVersions>();
        services.AddHostedService<PolicyRecorder>();
        return services;
    }
}
