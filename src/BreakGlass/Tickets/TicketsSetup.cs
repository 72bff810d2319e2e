using BreakGlass.Observability;
using BreakGlass.Tickets.Linear;

namespace BreakGlass.Tickets;

internal static class TicketsSetup
{
    public static IServiceCollection AddTickets(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddLinear();
        services.AddOptions<TicketsOptions>().Bind(configuration.GetSection(TicketsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<PublicUrlOptions>().Bind(configuration.GetSection(PublicUrlOptions.Section))
            .Validate(options => options.PublicUrl is { IsAbsoluteUri: true, Scheme: "http" or "https" }, "BreakGlass:PublicUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.AddSingleton<LinearGate>();
        services.AddSingleton<TicketOutbox>();
        services.AddSingleton<TicketRequests>();
        services.AddTransient<TicketActionProcessor>();
        services.AddTransient<ProcessTicketActionsJob>();
        services.AddHostedService<TicketSweeper>();
        services.AddGaugeSource<TicketOutboxGauges>();
        return services;
    }
}
