using BreakGlass.Grants;
using Dapper;

namespace BreakGlass.Tests.Evidence;

/// <summary>Revoked grants written straight into a test database, as the revocation would leave them.</summary>
internal static class RevokedGrants
{
    public const string RoleArn = "arn:aws:iam::123456789012:role/BreakGlassAdmin";

    /// <param name="plan">Plan the evidence passes in the same transaction, as RevocationService does.</param>
    /// <param name="credentialsExpireAt">When the last credentials expire; by default when the grant ended.</param>
    public static async Task<Guid> InsertAsync(
        EvidenceServices services, IReadOnlyList<string> accessKeyIds, DateTimeOffset requestedAt, DateTimeOffset endedAt, bool plan = true,
        DateTimeOffset? credentialsExpireAt = null) =>
        (await InsertGrantAsync(services, accessKeyIds, requestedAt, endedAt, plan, credentialsExpireAt)).Id;

    /// <inheritdoc cref="InsertAsync"/>
    public static async Task<Grant> InsertGrantAsync(
        EvidenceServices services, IReadOnlyList<string> accessKeyIds, DateTimeOffset requestedAt, DateTimeOffset endedAt, bool plan = true,
        DateTimeOffset? credentialsExpireAt = null)
    {
        var expiry = credentialsExpireAt ?? endedAt;
        var grant = new Grant(Guid.CreateVersion7(), GrantStatus.Revoked, $"engineer-{Guid.NewGuid():N}@example.com", "prod-admin", RoleArn,
            "Production database is down, restoring service", null, requestedAt, requestedAt.AddHours(1), expiry,
            null, null, null, 0, null, "engineer");
        await using var connection = await services.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await GrantStore.InsertAsync(connection, grant, transaction);
        await connection.ExecuteAsync(
            "UPDATE grants SET ended_at = @endedAt, ended_by = 'breakglass', end_reason = 'the grant window ended' WHERE id = @Id",
            new { endedAt, grant.Id }, transaction);
        foreach (var accessKeyId in accessKeyIds)
        {
            await GrantStore.RecordCredentialsAsync(connection, transaction, grant.Id, accessKeyId, requestedAt, expiry);
        }
        if (plan) await services.Planner.PlanAsync(connection, transaction, grant.Id);
        await transaction.CommitAsync();
        return grant;
    }

    public static async Task<string> StatusAsync(EvidenceServices services, Guid grantId)
    {
        await using var connection = await services.Database.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<string>("SELECT status FROM grants WHERE id = @grantId", new { grantId }) ?? "";
    }

    /// <summary>The grant's evidence audit events, oldest first.</summary>
    public static async Task<string[]> EvidenceAuditTypesAsync(string connectionString, Guid grantId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        return (await connection.QueryAsync<string>(
            "SELECT event_type FROM audit_events WHERE grant_id = @grantId AND event_type LIKE 'evidence.%' ORDER BY sequence", new { grantId })).ToArray();
    }
}
