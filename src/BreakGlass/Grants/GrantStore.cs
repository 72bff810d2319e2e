using BreakGlass.Storage;
using Dapper;
using Npgsql;

namespace BreakGlass.Grants;

/// <summary>SQL for grants. State changes are compare-and-set: they name the states they expect to move from.</summary>
internal static class GrantStore
{
    internal const string Columns =
        """
        id, status, requester, role_name AS RoleName, role_arn AS RoleArn, reason, ticket_reference AS TicketReference,
        requested_at AS RequestedAt, expires_at AS ExpiresAt, credentials_expire_at AS CredentialsExpireAt,
        ended_at AS EndedAt, ended_by AS EndedBy, end_reason AS EndReason,
        revocation_attempts AS RevocationAttempts, last_revocation_error AS LastRevocationError,
        requester_name AS RequesterName
        """;

    public static Task InsertAsync(NpgsqlConnection connection, Grant grant, NpgsqlTransaction? transaction = null) =>
        connection.ExecuteAsync(
            """
            INSERT INTO grants (id, status, requester, requester_name, role_name, role_arn, reason, ticket_reference,
                                requested_at, expires_at, credentials_expire_at)
            VALUES (@Id, @Status, @Requester, @RequesterName, @RoleName, @RoleArn, @Reason, @TicketReference,
                    @RequestedAt, @ExpiresAt, @CredentialsExpireAt)
            """,
            new
            {
                grant.Id, Status = grant.Status.ToString(), grant.Requester, grant.RequesterName, grant.RoleName, grant.RoleArn, grant.Reason,
                grant.TicketReference, grant.RequestedAt, grant.ExpiresAt, grant.CredentialsExpireAt,
            },
            transaction);

    public static Task<Grant?> FindAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<Grant>($"SELECT {Columns} FROM grants WHERE id = @id", new { id }, transaction);

    /// <summary>Locks the row for the rest of the transaction.</summary>
    public static Task<Grant?> FindForUpdateAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction transaction) =>
        connection.QuerySingleOrDefaultAsync<Grant>($"SELECT {Columns} FROM grants WHERE id = @id FOR UPDATE", new { id }, transaction);

    public static async Task<IReadOnlyList<Grant>> ListAsync(NpgsqlConnection connection, string? requester, int limit) =>
        (await connection.QueryAsync<Grant>(
            $"""
             SELECT {Columns} FROM grants
             WHERE (@requester::text IS NULL OR requester = @requester)
             ORDER BY requested_at DESC LIMIT @limit
             """,
            new { requester, limit })).AsList();

    public static async Task<IReadOnlyList<string>> AccessKeyIdsAsync(NpgsqlConnection connection, Guid grantId) =>
        (await connection.QueryAsync<string>(
            "SELECT access_key_id FROM grant_credentials WHERE grant_id = @grantId ORDER BY issued_at", new { grantId })).AsList();

    public static async Task<ILookup<Guid, string>> AccessKeyIdsAsync(NpgsqlConnection connection, IReadOnlyCollection<Guid> grantIds) =>
        (await connection.QueryAsync<(Guid GrantId, string AccessKeyId)>(
            "SELECT grant_id, access_key_id FROM grant_credentials WHERE grant_id = ANY(@grantIds) ORDER BY issued_at",
            new { grantIds = grantIds.ToArray() }))
        .ToLookup(row => row.GrantId, row => row.AccessKeyId);

    /// <summary>Moves the grant to <paramref name="to"/> if it is in one of the legal source states; false if another actor moved it first.</summary>
    public static async Task<bool> TryMoveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, GrantStatus to, object? extra = null, string extraSet = "")
    {
        var parameters = new DynamicParameters(extra);
        parameters.Add("id", id);
        parameters.Add("to", to.ToString());
        parameters.Add("from", GrantStatuses.From(to).Select(status => status.ToString()).ToArray());
        var set = string.IsNullOrEmpty(extraSet) ? "" : ", " + extraSet;
        var rows = await connection.ExecuteAsync(
            $"UPDATE grants SET status = @to{set} WHERE id = @id AND status = ANY(@from)", parameters, transaction);
        return rows == 1;
    }

    /// <summary>
    /// The requester's open grants on the role (Issuing or Active, window not over). Takes a transaction-scoped lock
    /// on (requester, role) first, so two concurrent requests cannot both pass the cap.
    /// </summary>
    public static async Task<int> LockAndCountOpenAsync(NpgsqlConnection connection, string requester, string roleName, DateTimeOffset now)
    {
        await AdvisoryLocks.OpenGrants.TakeForTransactionAsync(connection, $"{requester}/{roleName.ToLowerInvariant()}");
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT count(*) FROM grants
            WHERE requester = @requester AND lower(role_name) = lower(@roleName)
              AND status IN ('Issuing', 'Active') AND expires_at > @now
            """,
            new { requester, roleName, now });
    }

    public static Task ExtendCredentialsExpiryAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId, DateTimeOffset expiresAt) =>
        connection.ExecuteAsync(
            "UPDATE grants SET credentials_expire_at = greatest(credentials_expire_at, @expiresAt) WHERE id = @grantId",
            new { grantId, expiresAt }, transaction);

    public static Task RecordCredentialsAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid grantId, string accessKeyId, DateTimeOffset issuedAt, DateTimeOffset expiresAt) =>
        connection.ExecuteAsync(
            """
            INSERT INTO grant_credentials (access_key_id, grant_id, issued_at, expires_at)
            VALUES (@accessKeyId, @grantId, @issuedAt, @expiresAt)
            ON CONFLICT (access_key_id) DO NOTHING
            """,
            new { accessKeyId, grantId, issuedAt, expiresAt },
            transaction);
}
