using Hangfire;
using Microsoft.Extensions.Options;

namespace BreakGlass.Drills;

internal static class DrillsSetup
{
    public static IServiceCollection AddDrills(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DrillsOptions>().Bind(configuration.GetSection(DrillsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<DrillsOptions>, DrillsOptionsValidation>();
        services.AddSingleton<DrillSessionCalls>();
        services.AddSingleton<DrillRunner>();
        services.AddTransient<DrillJob>();
        return services;
    }

    /// <summary>Drills run on <c>Drills:Schedule</c> when it is set; otherwise a schedule left from an earlier configuration is removed.</summary>
    public static void ScheduleDrills(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<DrillsOptions>>().Value;
        var recurring = app.ApplicationServices.GetRequiredService<IRecurringJobManager>();
        if (string.IsNullOrWhiteSpace(options.Schedule))
        {
            recurring.RemoveIfExists(DrillJob.RecurringJobId);
            return;
        }
        recurring.AddOrUpdate<DrillJob>(DrillJob.RecurringJobId, job => job.StartScheduledAsync(), options.Schedule);
    }
}
