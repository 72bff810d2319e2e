using BreakGlass.Observability;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BreakGlass.Preflight;

internal static class PreflightSetup
{
    public static IServiceCollection AddPreflight(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PreflightOptions>().Bind(configuration.GetSection(PreflightOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PreflightRunner>();
        services.AddTransient<PreflightJob>();
        services.AddGaugeSource<PreflightGauges>();
        services.AddHealthChecks().AddCheck<PreflightHealthCheck>("preflight", tags: [Health.HealthSetup.Ready]);
        return services;
    }

    public static void SchedulePreflight(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<PreflightOptions>>().Value;
        app.ApplicationServices.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<PreflightJob>(PreflightJob.RecurringJobId, job => job.RunAsync(), options.Schedule);
    }
}
