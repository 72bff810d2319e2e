using BreakGlass.Accounts;
using BreakGlass.Auth;
using BreakGlass.Evidence;
using BreakGlass.Policy;
using BreakGlass.Reviews;
using BreakGlass.Revocation;
using BreakGlass.Tickets.Linear;
using Microsoft.Extensions.Options;

namespace BreakGlass.WrittenPolicy;

/// <summary>
/// The policy in force, read from the same options the features enforce (so a setting that does not reload is not
/// reported as changed before it takes effect). Built afresh on every call: it is small, and a cache would have to
/// know when every options monitor has caught up with a configuration reload.
/// </summary>
internal sealed class CurrentPolicy(
    IOptionsMonitor<PolicyOptions> policy,
    IOptionsMonitor<AuthOptions> auth,
    IOptionsMonitor<ReviewOptions> review,
    IOptionsMonitor<RevocationOptions> revocation,
    IOptionsMonitor<EvidenceOptions> evidence,
    IOptionsMonitor<LinearOptions> linear,
    IOptionsMonitor<AccountsOptions> accounts,
    IConfiguration configuration)
{
    public const string ChangedByKey = "Policy:ChangedBy";

    public GeneratedPolicy Get() => GeneratedPolicy.From(PolicyContentReader.Read(new PolicySettings(
        policy.CurrentValue, auth.CurrentValue, review.CurrentValue, revocation.CurrentValue, evidence.CurrentValue,
        linear.CurrentValue, accounts.CurrentValue, configuration)));

    public string Version => Get().Version;

    /// <summary>Who made the configuration change, as the deployment declares it (<c>Policy:ChangedBy</c>); not part of the policy.</summary>
    public string? ChangedBy => string.IsNullOrWhiteSpace(configuration[ChangedByKey]) ? null : configuration[ChangedByKey]!.Trim();
}
