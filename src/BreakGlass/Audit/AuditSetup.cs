namespace BreakGlass.Audit;

internal static class AuditSetup
{
    public static IServiceCollection AddAudit(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditChainVerifier>();
        return services;
    }
}
