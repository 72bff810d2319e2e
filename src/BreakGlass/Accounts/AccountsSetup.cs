namespace BreakGlass.Accounts;

internal static class AccountsSetup
{
    /// <summary>Member accounts and their agents. Register after <c>AddAws</c>: the start check needs the broker's identity first.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountsOptions>().Configure(options => configuration.GetSection(AccountsOptions.Section).Bind(options.Accounts));
        services.AddSingleton<AccountDirectory>();
        services.AddHostedService<AccountsStartupCheck>();
        return services;
    }
}
