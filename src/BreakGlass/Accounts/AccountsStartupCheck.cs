using BreakGlass.Aws.Iam;
using BreakGlass.Policy;
using Microsoft.Extensions.Options;

namespace BreakGlass.Accounts;

/// <summary>
/// At start, after the broker has learnt its own account: every account entry and every role that BreakGlass could
/// not act in is logged Critical by name. The service starts anyway and serves the roles that work.
/// </summary>
internal sealed class AccountsStartupCheck(AccountDirectory accounts, IOptions<PolicyOptions> policy, ILogger<AccountsStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var problem in accounts.ConfigurationProblems) AccountsLog.AccountMisconfigured(logger, problem);
        var members = accounts.Members.Select(account => account.Id).ToArray();
        if (members.Length > 0) AccountsLog.MembersConfigured(logger, members.Length, string.Join(", ", members));
        foreach (var role in policy.Value.Roles)
        {
            if (accounts.UnreachableReason(RoleArn.AccountId(role.RoleArn)) is { } reason)
            {
                AccountsLog.RoleUnusable(logger, role.Name, role.RoleArn, reason);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
