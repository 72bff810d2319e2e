using BreakGlass.Observability;
using Hangfire;
using Microsoft.Extensions.Options;

namespace BreakGlass.Reviews;

internal static class ReviewsSetup
{
    public static IServiceCollection AddReviews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ReviewQueue>();
        services.AddSingleton<ReviewDecisions>();
        services.AddTransient<ReviewReminderJob>();
        services.AddGaugeSource<ReviewGauges>();
        services.AddHttpClient(nameof(ReviewReminderJob), client => client.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    public static void ScheduleReviewReminder(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ReviewOptions>>().Value;
        app.ApplicationServices.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ReviewReminderJob>(ReviewReminderJob.RecurringJobId, job => job.RunAsync(), options.ReminderCron);
    }
}
