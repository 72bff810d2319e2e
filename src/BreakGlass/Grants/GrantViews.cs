using System.Security.Claims;
using BreakGlass.Auth;
using BreakGlass.Aws.Sts;
using BreakGlass.Errors;
using BreakGlass.Tickets;
using Npgsql;

namespace BreakGlass.Grants;

/// <summary>Assembles the API view of grants (access key ids, ticket) from storage.</summary>
internal sealed class GrantViews(NpgsqlDataSource database)
{
    public async Task<Grant?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await GrantStore.FindAsync(connection, id);
    }

    /// <summary>A grant the caller may see: their own, or any for a reviewer or auditor.</summary>
    public async Task<Grant> FindVisibleAsync(Guid id, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        var grant = await FindAsync(id, cancellationToken);
        // "Not yours" looks exactly like "not found": grant ids are not an oracle.
        if (grant is null || (!SeesAllGrants(caller) && !grant.IsOwnedBy(caller.UserName())))
        {
            throw new NotFoundException($"No grant {id} visible to you exists.");
        }
        return grant;
    }

    public static bool SeesAllGrants(ClaimsPrincipal caller) =>
        caller.HasAppRole(AppRoles.Reviewer) || caller.HasAppRole(AppRoles.Auditor);

    /// <summary>The newest grants, of one requester or (null) of everyone.</summary>
    public async Task<GrantResponse[]> ListAsync(string? requester, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ViewAllAsync(connection, await GrantStore.ListAsync(connection, requester, limit), cancellationToken);
    }

    public async Task<GrantResponse> ViewAsync(Grant grant, IssuedCredentials? credentials, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var tickets = await TicketViews.ForAsync(connection, [grant]);
        return GrantResponse.From(grant, await GrantStore.AccessKeyIdsAsync(connection, grant.Id), tickets[grant.Id], credentials);
    }

    public async Task<GrantResponse[]> ViewAllAsync(NpgsqlConnection connection, IReadOnlyList<Grant> grants, CancellationToken cancellationToken)
    {
        var keys = await GrantStore.AccessKeyIdsAsync(connection, grants.Select(grant => grant.Id).ToArray());
        var tickets = await TicketViews.ForAsync(connection, grants);
        return grants.Select(grant => GrantResponse.From(grant, keys[grant.Id].ToList(), tickets[grant.Id])).ToArray();
    }
}
