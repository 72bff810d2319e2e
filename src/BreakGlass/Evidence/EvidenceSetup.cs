using BreakGlass.Evidence.Rules;
using Microsoft.Extensions.Options;

namespace BreakGlass.Evidence;

internal static class EvidenceSetup
{
    public static IServiceCollection AddEvidence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => LoadRules(provider.GetRequiredService<IOptions<EvidenceOptions>>().Value));
        services.AddSingleton<EvidenceStore>();
        services.AddSingleton<EvidencePlanner>();
        services.AddSingleton<LookupEventsSource>();
        services.AddSingleton<EvidenceSources>();
        services.AddSingleton<EvidenceRecorder>();
        services.AddSingleton<EvidenceCollector>();
        services.AddTransient<EvidencePassJob>();
        services.AddSingleton<EvidenceSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<EvidenceSweeper>());
        return services;
    }

    /// <exception cref="InvalidDataException">The configured rules file is invalid: the service must not start with rules it cannot apply.</exception>
    private static SeverityRules LoadRules(EvidenceOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.RulesFile)) return SeverityRules.Default;
        using var file = File.OpenRead(options.RulesFile);
        return SeverityRules.Load(file);
    }
}
