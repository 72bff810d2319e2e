using BreakGlass.Aws.Sts;
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
