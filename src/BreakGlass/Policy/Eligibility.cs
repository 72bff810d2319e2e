using System.Security.Claims;
using BreakGlass.Accounts;
using BreakGlass.Auth;
using BreakGlass.Aws.Iam;
using BreakGlass.Errors;
using Microsoft.Extensions.Options;

namespace BreakGlass.Policy;

/// <summary>Decides instantly, from configuration, whether a caller may break glass into a role: there is no approval queue.</summary>
internal sealed class Eligibility(IOptionsMonitor<PolicyOptions> policy, IOptionsMonitor<AuthOptions> auth, AccountDirectory accounts)
{
    public IReadOnlyList<BreakGlassRole> RolesFor(ClaimsPrincipal caller)
    {
        var groups = caller.IdpGroups(auth.CurrentValue.RoleClaim);
        return policy.CurrentValue.Roles
            .Where(role => role.AllowedGroups.Any(groups.Contains) && accounts.UnreachableReason(RoleArn.AccountId(role.RoleArn)) is null)
            .ToList();
    }

    /// <summary>The role the caller may assume for <paramref name="minutes"/>; throws the reason otherwise.</summary>
    public BreakGlassRole Check(ClaimsPrincipal caller, string roleName, int minutes, string? ticket)
    {
        var role = Usable(roleName);
        if (!RolesFor(caller).Contains(role))
        {
            throw new PolicyDeniedException($"None of your groups may break glass into '{role.Name}'.");
        }
        WithinMaximum(role, minutes);
        if (role.RequireTicket && string.IsNullOrWhiteSpace(ticket))
        {
            throw new InvalidRequestException($"'{role.Name}' requires a ticket up front: name one in 'ticket' (e.g. OPS-123 or its Linear URL).");
        }
        return role;
    }

    /// <summary>
    /// The role a drill may assume: BreakGlass itself breaks glass there, so no person's groups apply (the drill role is
    /// named by <c>Drills:Role</c>) and no ticket is required up front; the rest of the policy holds as for anyone.
    /// </summary>
    public BreakGlassRole CheckDrill(string roleName, int minutes) => WithinMaximum(Usable(roleName), minutes);

    private BreakGlassRole Usable(string roleName)
    {
        var role = policy.CurrentValue.Find(roleName)
                   ?? throw new InvalidRequestException($"There is no break-glass role named '{roleName}'. GET /api/roles lists the roles you may use.");
        // Credentials BreakGlass could not revoke must never be issued (revocation before credentials).
        if (accounts.UnreachableReason(RoleArn.AccountId(role.RoleArn)) is { } unreachable)
        {
            throw new RoleUnavailableException($"'{role.Name}' cannot be used: {unreachable} It was logged as an ALERT at start.");
        }
        return role;
    }

    private static BreakGlassRole WithinMaximum(BreakGlassRole role, int minutes)
    {
        if (minutes > role.MaxDurationMinutes)
        {
            throw new InvalidRequestException($"'{role.Name}' allows at most {role.MaxDurationMinutes} minutes; you asked for {minutes}.");
        }
        return role;
    }
}
