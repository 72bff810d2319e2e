namespace BreakGlass.Policy;

internal static class PolicySetup
{
    public static IServiceCollection AddEligibilityPolicy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PolicyOptions>()
            .Configure(options =>
            {
                configuration.GetSection("Policy").Bind(options);
                configuration.GetSection("Roles").Bind(options.Roles);
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Eligibility>();
        return services;
    }
}
