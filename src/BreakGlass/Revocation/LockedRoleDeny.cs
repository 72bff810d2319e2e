using BreakGlass.Aws.Iam;
using BreakGlass.Storage;
using Npgsql;

namespace BreakGlass.Revocation;

/// <summary>
/// A role's deny lock, held on its own connection from <see cref="RoleDenyWriter.LockRoleAsync"/> until disposed:
/// whatever the holder decides and writes under it, no other instance writes the role's deny meanwhile.
/// </summary>
internal sealed class LockedRoleDeny(RoleDenyWriter writer, NpgsqlConnection connection, string roleArn, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    private readonly long _takenAt = time.GetTimestamp();
    private int _grants;

    /// <summary>One verified write adding <paramref name="grantIds"/> (none: a rebuild, e.g. for a cut-off).</summary>
    public async Task<DenyOutcome> DenyAsync(IReadOnlyCollection<Guid> grantIds, CancellationToken cancellationToken)
    {
        _grants += grantIds.Count;
        return await writer.DenyLockedAsync(connection, roleArn, grantIds, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AdvisoryLocks.RoleDenyPolicy.ReleaseAsync(connection, RoleArn.Canonical(roleArn));
        }
        finally
        {
            await connection.DisposeAsync();
            RevocationLog.DenyLockReleased(logger, roleArn, time.GetElapsedTime(_takenAt).TotalMilliseconds, _grants);
        }
    }
}
