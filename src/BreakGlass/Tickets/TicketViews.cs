using BreakGlass.Grants;
using Dapper;
using Npgsql;

namespace BreakGlass.Tickets;

/// <summary>The <c>ticket</c> object of the grant API, read from the tickets table.</summary>
internal static class TicketViews
{
    /// <summary>
    /// The ticket of every grant in <paramref name="grants"/>; each grant's row commits with the grant itself. Null for a
    /// drill's grant issued without a ticket (<c>Drills:FileTicket</c>).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, TicketView?>> ForAsync(NpgsqlConnection connection, IReadOnlyCollection<Grant> grants)
    {
        var rows = (await connection.QueryAsync<(Guid GrantId, string Status, string? Identifier, string? Url, string? LastError)>(
                "SELECT grant_id, status, identifier, url, last_error FROM tickets WHERE grant_id = ANY(@grantIds)",
                new { grantIds = grants.Select(grant => grant.Id).ToArray() }))
            .ToDictionary(row => row.GrantId, row => new TicketView(row.Status, row.Identifier, row.Url, row.LastError));
        return grants.ToDictionary(grant => grant.Id, grant => rows.GetValueOrDefault(grant.Id));
    }

    /// <summary>The grant's ticket as the caller's transaction sees it; null when the grant has none.</summary>
    public static async Task<TicketView?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, string? Identifier, string? Url, string? LastError)?>(
            "SELECT status, identifier, url, last_error FROM tickets WHERE grant_id = @grantId", new { grantId }, transaction);
        return row is { } found ? new TicketView(found.Status, found.Identifier, found.Url, found.LastError) : null;
    }
}
