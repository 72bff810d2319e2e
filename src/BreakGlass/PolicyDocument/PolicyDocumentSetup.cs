namespace BreakGlass.PolicyDocument;

internal static class PolicyDocumentSetup
{
    /// <summary>The generated policy, its versions and their approval. Register after the features whose options it reads.</summary>
    public static IServiceCollection AddPolicyDocument(this IServiceCollection services)
    {
        services.AddSingleton<CurrentPolicy>();
        services.AddSingleton<PolicyVersions>();
        services.AddHostedService<PolicyRecorder>();
        return services;
    }
}
