namespace BreakGlass.Reports;

internal static class ReportsSetup
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ExceptionRegister>();
        services.AddSingleton<GrantChains>();
        return services;
    }
}
