using BreakGlass.Storage;
using Dapper;
using Npgsql;

namespace BreakGlass.Grants;

/// <summary>One set of credentials issued under a grant, as <c>grant_credentials</c> keeps it (no secret).</summary>
internal sealed record IssuedKey(Guid GrantId, string AccessKeyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The one owner of the SQL that writes <c>grants</c>. State changes are compare-and-set: they name the states they
/// expect to move from (<see cref="GrantStatuses.From"/>) and report whether this caller made the move.
/// </summary>
internal static class GrantStore
{
    /// <summary>The statuses of a grant whose window may still be open: credentials may be live.</summary>
    public static readonly string[] OpenStatuses = [nameof(GrantStatus.Issuing), nameof(GrantStatus.Active)];

    // States in which a grant's deny may still be missing: a failed attempt on any of them is worth counting.
    private static readonly string[] Unrevoked =
        [.. OpenStatuses, nameof(GrantStatus.Revoking), nameof(GrantStatus.RevocationFailed), nameof(GrantStatus.Failed)];

    /// <summary>A condition on <c>grants g</c>: not a drill's grant. Drills are never exceptions (register, review queue).</summary>
    internal const string NotDrill = "g.drill_id IS NULL";

    internal const string Columns =
        """
        id, status, requester, role_name AS RoleName, role_arn AS RoleArn, reason, ticket_reference AS TicketReference,
        requested_at AS RequestedAt, expires_at AS ExpiresAt, credentials_expire_at AS CredentialsExpireAt,
        ended_at AS EndedAt, ended_by AS EndedBy, end_reason AS EndReason,
        revocation_attempts AS RevocationAttempts, last_revocation_error AS LastRevocationError,
        requester_name AS RequesterName
        """;

    /// <summary>How many grants are in one of <paramref name="statuses"/>.</summary>
    public static Task<long> CountAsync(NpgsqlConnection connection, IReadOnlyCollection<string> statuses, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM grants WHERE status = ANY(@statuses)", new { statuses = statuses.ToArray() }, cancellationToken: cancellationToken));

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

    /// <summary>
    /// Writes many grants in one statement, each as it stands (its status and how it ended included): for loading a
    /// large history at once (the register benchmark). The table's constraints apply to every row.
    /// </summary>
    public static Task InsertAllAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<Grant> grants) =>
        connection.ExecuteAsync(
            """
            INSERT INTO grants (id, status, requester, requester_name, role_name, role_arn, reason, ticket_reference,
                                requested_at, expires_at, credentials_expire_at, ended_at, ended_by, end_reason)
            SELECT * FROM unnest(@ids, @statuses, @requesters, @requesterNames, @roleNames, @roleArns, @reasons, @ticketReferences,
                                 @requestedAt, @expiresAt, @credentialsExpireAt, @endedAt, @endedBy, @endReasons)
            """,
            new
            {
                ids = grants.Select(grant => grant.Id).ToArray(),
                statuses = grants.Select(grant => grant.Status.ToString()).ToArray(),
                requesters = grants.Select(grant => grant.Requester).ToArray(),
                requesterNames = grants.Select(grant => grant.RequesterName).ToArray(),
                roleNames = grants.Select(grant => grant.RoleName).ToArray(),
                roleArns = grants.Select(grant => grant.RoleArn).ToArray(),
                reasons = grants.Select(grant => grant.Reason).ToArray(),
                ticketReferences = grants.Select(grant => grant.TicketReference).ToArray(),
                requestedAt = grants.Select(grant => grant.RequestedAt).ToArray(),
                expiresAt = grants.Select(grant => grant.ExpiresAt).ToArray(),
                credentialsExpireAt = grants.Select(grant => grant.CredentialsExpireAt).ToArray(),
                endedAt = grants.Select(grant => grant.EndedAt).ToArray(),
                endedBy = grants.Select(grant => grant.EndedBy).ToArray(),
                endReasons = grants.Select(grant => grant.EndReason).ToArray(),
            },
            transaction);

    /// <summary>The credentials of many grants in one statement (see <see cref="InsertAllAsync"/>).</summary>
    public static Task RecordAllCredentialsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<IssuedKey> keys) =>
        connection.ExecuteAsync(
            """
            INSERT INTO grant_credentials (access_key_id, grant_id, issued_at, expires_at)
            SELECT * FROM unnest(@accessKeyIds, @grantIds, @issuedAt, @expiresAt)
            """,
            new
            {
                accessKeyIds = keys.Select(key => key.AccessKeyId).ToArray(), grantIds = keys.Select(key => key.GrantId).ToArray(),
                issuedAt = keys.Select(key => key.IssuedAt).ToArray(), expiresAt = keys.Select(key => key.ExpiresAt).ToArray(),
            },
            transaction);

    /// <summary>Marks the grant as the drill's, inside the grant's own insert transaction.</summary>
    public static Task MarkDrillAsync(NpgsqlConnection connection, Guid id, Guid drillId) =>
        connection.ExecuteAsync("UPDATE grants SET drill_id = @drillId WHERE id = @id", new { id, drillId });

    /// <summary>The grant a drill issued, if it got as far as committing one.</summary>
    public static Task<Grant?> FindForDrillAsync(NpgsqlConnection connection, Guid drillId) =>
        connection.QuerySingleOrDefaultAsync<Grant>($"SELECT {Columns} FROM grants WHERE drill_id = @drillId", new { drillId });

    /// <summary>Whether the grant is a drill's (never an exception), as the caller's transaction sees it.</summary>
    public static Task<bool> IsDrillAsync(NpgsqlConnection connection, Guid id, NpgsqlTransaction? transaction) =>
        connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM grants WHERE id = @id AND drill_id IS NOT NULL)", new { id }, transaction);

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

    /// <summary>Grants still <c>Issuing</c> that were requested at or before <paramref name="requestedBy"/>.</summary>
    /// <summary>
    /// A revocation wave on one role, locked for update: the <paramref name="requested"/> grants not yet revoked, and
    /// every grant on <paramref name="roleArn"/> whose window is over or whose end is still waiting for its deny.
    /// </summary>
    public static async Task<IReadOnlyList<Grant>> LockRevocationWaveAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string roleArn, IReadOnlyCollection<Guid> requested, DateTimeOffset now) =>
        (await connection.QueryAsync<Grant>(
            $"""
            SELECT {Columns} FROM grants
            WHERE (id = ANY(@requested) AND status = ANY(@unrevoked))
               OR (role_arn = @roleArn AND ((status = ANY(@open) AND expires_at <= @now) OR status = ANY(@unfinished)))
            ORDER BY id FOR UPDATE
            """,
            new
            {
                requested = requested.ToArray(), unrevoked = Unrevoked, roleArn, open = OpenStatuses, now,
                unfinished = new[] { nameof(GrantStatus.Revoking), nameof(GrantStatus.RevocationFailed) },
            },
            transaction)).AsList();

    public static async Task<IReadOnlyList<Grant>> ListIssuingSinceAsync(NpgsqlConnection connection, DateTimeOffset requestedBy) =>
        (await connection.QueryAsync<Grant>(
            $"SELECT {Columns} FROM grants WHERE status = @issuing AND requested_at <= @requestedBy ORDER BY requested_at",
            new { requestedBy, issuing = nameof(GrantStatus.Issuing) })).AsList();

    /// <summary>Moves the grant to <paramref name="to"/> if it is in one of the legal source states; false if another actor moved it first.</summary>
    public static Task<bool> TryMoveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, GrantStatus to) =>
        MoveAsync(connection, transaction, id, to, "", null);

    /// <summary>To <see cref="GrantStatus.Revoking"/>, recording who ended the grant, when and why.</summary>
    public static Task<bool> TryEndAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, DateTimeOffset endedAt, string endedBy, string reason) =>
        MoveAsync(connection, transaction, id, GrantStatus.Revoking,
            ", ended_at = @endedAt, ended_by = @endedBy, end_reason = @reason", new { endedAt, endedBy, reason });

    /// <summary>To <see cref="GrantStatus.Revoked"/>: the deny is in place, so an earlier failed attempt's error no longer applies.</summary>
    public static Task<bool> TryMarkRevokedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id) =>
        MoveAsync(connection, transaction, id, GrantStatus.Revoked, ", last_revocation_error = NULL", null);

    /// <summary>The deny of a Failed grant is in place: its last failed attempt no longer applies.</summary>
    public static Task ClearRevocationErrorAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id) =>
        connection.ExecuteAsync("UPDATE grants SET last_revocation_error = NULL WHERE id = @id", new { id }, transaction);

    /// <summary>To <see cref="GrantStatus.Failed"/>: no credentials were delivered, and <paramref name="error"/> says why.</summary>
    public static Task<bool> TryMarkFailedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string error) =>
        MoveAsync(connection, transaction, id, GrantStatus.Failed, ", last_revocation_error = NULL, end_reason = @error", new { error });

    /// <summary>
    /// Counts a failed revocation attempt and keeps its error; returns the attempts so far, or null when the grant is
    /// already revoked (another instance's attempt succeeded meanwhile, and a stale failure must not be recorded over it).
    /// </summary>
    public static Task<int?> RecordRevocationFailureAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string error) =>
        connection.ExecuteScalarAsync<int?>(
            """
            UPDATE grants SET revocation_attempts = revocation_attempts + 1, last_revocation_error = @error
            WHERE id = @id AND status = ANY(@unrevoked) RETURNING revocation_attempts
            """,
            new { id, error, unrevoked = Unrevoked }, transaction);

    /// <summary>Makes the deny outlive credentials valid until <paramref name="until"/>; false when the grant is no longer active.</summary>
    public static async Task<bool> TryExtendCredentialsExpiryAsync(NpgsqlConnection connection, Guid id, DateTimeOffset until) =>
        await connection.ExecuteAsync(
            """
            UPDATE grants SET credentials_expire_at = greatest(credentials_expire_at, @until)
            WHERE id = @id AND status = @active
            """,
            new { id, until, active = nameof(GrantStatus.Active) }) == 1;

    public static Task RecordRevocationJobAsync(NpgsqlConnection connection, Guid id, string jobId) =>
        connection.ExecuteAsync("UPDATE grants SET revocation_job_id = @jobId WHERE id = @id", new { id, jobId });

    /// <param name="set">More assignments, each a constant of this class: callers pass values, never SQL.</param>
    private static async Task<bool> MoveAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id, GrantStatus to, string set, object? values)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("id", id);
        parameters.Add("to", to.ToString());
        parameters.Add("from", GrantStatuses.From(to).Select(status => status.ToString()).ToArray());
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
              AND status = ANY(@open) AND expires_at > @now
            """,
            new { requester, roleName, now, open = OpenStatuses });
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
