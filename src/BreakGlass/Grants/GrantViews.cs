using BreakGlass.Credentials;
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

    public async Task<GrantResponse> ViewAsync(Grant grant, IssuedCredentials? credentials, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return GrantResponse.From(grant, await GrantStore.AccessKeyIdsAsync(connection, grant.Id), TicketOf(grant), credentials);
    }

    public async Task<GrantResponse[]> ViewAllAsync(NpgsqlConnection connection, IReadOnlyList<Grant> grants, CancellationToken cancellationToken)
    {
        var keys = await GrantStore.AccessKeyIdsAsync(connection, grants.Select(grant => grant.Id).ToArray());
        return grants.Select(grant => GrantResponse.From(grant, keys[grant.Id].ToList(), TicketOf(grant))).ToArray();
    }

    private static TicketView? TicketOf(Grant grant) =>
        grant.TicketReference is null ? null : new TicketView("pending", grant.TicketReference, null, null);
}
