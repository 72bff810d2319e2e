using BreakGlass.Audit;
using BreakGlass.Observability;
using Microsoft.Extensions.Options;

namespace BreakGlass.Notifications;

internal static class NotificationsSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationsOptions>().Bind(configuration.GetSection(NotificationsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationsOptions>, NotificationsOptionsValidator>();
        // Redirects are not followed: a receiver's answer is judged as given, and a signed body is not re-posted elsewhere.
        services.AddHttpClient(NotificationChannels.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<NotificationChannels>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<IAuditEventObserver, AuditNotificationObserver>();
        services.AddHostedService<NotificationSweeper>();
        services.AddGaugeSource<NotificationOutboxGauges>();
        return services;
    }
}
