using Dapper;
using Npgsql;

namespace BreakGlass.Storage;

/// <summary>
/// Every PostgreSQL advisory lock the service takes, by name, like Hangfire's <c>locks:schedulepoller</c>: a key is
/// chosen here once, so two features can never take each other's lock for the same id.
/// </summary>
/// <remarks>
/// The keys are shared with every running instance, older versions included: never renumber one, only add. A
/// service-wide lock is one 64-bit key; a per-id lock is a space and <c>hashtext(id)</c>. PostgreSQL keeps the
/// one-key and two-key forms apart, so they cannot collide either.
/// </remarks>
internal static class AdvisoryLocks
{
    /// <summary>Several instances may start together against one database: only one migrates, the others wait.</summary>
    public static readonly ServiceLock Migrations = new("locks:migrations", 0x42_72_65_61_6b_47_6c_01);

    /// <summary>Serialises audit appends across every instance: each event needs the previous event's hash.</summary>
    public static readonly ServiceLock AuditChain = new("locks:audit-chain", 0x42_72_65_61_6b_47_6c_02);

    /// <summary>A role's deny policy is read-modify-write: concurrent revocations on one role must never lose an id. Per role ARN.</summary>
    public static readonly LockSpace RoleDenyPolicy = new("locks:revocation:role-deny", 7);

    /// <summary>One instance carries out a grant's ticket actions at a time. Per grant id.</summary>
    public static readonly LockSpace TicketActions = new("locks:tickets:grant", 8);

    /// <summary>One worker collects a grant's evidence at a time. Per grant id.</summary>
    public static readonly LockSpace EvidenceCollection = new("locks:evidence:grant", 9);

    /// <summary>Counting a requester's open grants on a role and adding one is atomic. Per "requester/role".</summary>
    public static readonly LockSpace OpenGrants = new("locks:grants:open-per-requester-and-role", 10);

    public static IReadOnlyList<ServiceLock> ServiceLocks { get; } = [Migrations, AuditChain];

    public static IReadOnlyList<LockSpace> Spaces { get; } = [RoleDenyPolicy, TicketActions, EvidenceCollection, OpenGrants];
}

/// <summary>A lock on the whole service (every instance), named in <see cref="AdvisoryLocks"/>.</summary>
internal sealed class ServiceLock(string name, long key)
{
    public string Name { get; } = name;

    public long Key { get; } = key;

    /// <summary>Waits for the lock and holds it until <see cref="ReleaseAsync"/> or the end of the session.</summary>
    public Task TakeAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@Key)", new { Key }, cancellationToken: cancellationToken));

    public Task ReleaseAsync(NpgsqlConnection connection) =>
        connection.ExecuteAsync("SELECT pg_advisory_unlock(@Key)", new { Key });

    /// <summary>Waits for the lock and holds it until <paramref name="transaction"/> ends.</summary>
    public Task TakeForTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key }, transaction);

    public override string ToString() => Name;
}

/// <summary>Locks on single resources of one kind (a grant, a role), named in <see cref="AdvisoryLocks"/>.</summary>
internal sealed class LockSpace(string name, int space)
{
    public string Name { get; } = name;

    public int Space { get; } = space;

    /// <summary>Takes the lock on <paramref name="id"/> if it is free; <see langword="false"/> if another session holds it.</summary>
    public Task<bool> TryTakeAsync(NpgsqlConnection connection, Guid id) => TryTakeAsync(connection, id.ToString());

    public Task<bool> TryTakeAsync(NpgsqlConnection connection, string id) =>
        connection.ExecuteScalarAsync<bool>("SELECT pg_try_advisory_lock(@Space, hashtext(@id))", new { Space, id });

    /// <summary>Waits for the lock on <paramref name="id"/> and holds it until <see cref="ReleaseAsync"/> or the end of the session.</summary>
    public Task TakeAsync(NpgsqlConnection connection, string id) =>
        connection.ExecuteAsync("SELECT pg_advisory_lock(@Space, hashtext(@id))", new { Space, id });

    /// <summary>Waits for the lock on <paramref name="id"/> and holds it until the current transaction ends.</summary>
    public Task TakeForTransactionAsync(NpgsqlConnection connection, string id, NpgsqlTransaction? transaction = null) =>
        connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Space, hashtext(@id))", new { Space, id }, transaction);

    public Task ReleaseAsync(NpgsqlConnection connection, Guid id) => ReleaseAsync(connection, id.ToString());

    public Task ReleaseAsync(NpgsqlConnection connection, string id) =>
        connection.ExecuteAsync("SELECT pg_advisory_unlock(@Space, hashtext(@id))", new { Space, id });

    public override string ToString() => Name;
}
