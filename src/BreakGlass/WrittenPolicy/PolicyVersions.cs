using System.Security.Claims;
using BreakGlass.Audit;
using BreakGlass.Auth;
using BreakGlass.Errors;
using Npgsql;

namespace BreakGlass.WrittenPolicy;

/// <summary>A policy version as the API shows it.</summary>
internal sealed record PolicyVersionView(
    string Version, string Status, DateTimeOffset FirstSeenAt, string? ChangedBy, string? ApprovedBy, DateTimeOffset? ApprovedAt, bool InForce)
{
    public static PolicyVersionView From(PolicyVersionRecord record, string currentVersion) =>
        new(record.Version, record.Status, record.FirstSeenAt, record.ChangedBy, record.ApprovedByName, record.ApprovedAt, record.Version == currentVersion);
}

/// <summary>Records each version the configuration yields (pending approval) and approves them, separating duties.</summary>
internal sealed class PolicyVersions(NpgsqlDataSource database, CurrentPolicy current, AuditLog audit, TimeProvider time, ILogger<PolicyVersions> logger)
{
    public const string RecordedEvent = "policy.recorded";
    public const string ApprovedEvent = "policy.approved";

    /// <summary>The policy in force, recorded (with an audit event) if no instance has recorded it before.</summary>
    public async Task<(GeneratedPolicy Policy, PolicyVersionRecord Record)> RecordCurrentAsync(CancellationToken cancellationToken)
    {
        var policy = current.Get();
        var changedBy = current.ChangedBy;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var seenAt = AuditHash.ToStoredPrecision(time.GetUtcNow());
        if (await PolicyVersionStore.TryRecordAsync(connection, transaction, policy, seenAt, changedBy))
        {
            await audit.AppendAsync(connection, transaction, null, RecordedEvent, SystemActor.Name, new Dictionary<string, object?>
            {
                ["version"] = policy.Version,
                ["status"] = PolicyStatuses.Pending,
                ["changedBy"] = changedBy,
            });
            WrittenPolicyLog.VersionRecorded(logger, policy.Version, changedBy ?? "(not declared)");
        }
        var record = (await PolicyVersionStore.FindAsync(connection, policy.Version, transaction))!;
        await transaction.CommitAsync(cancellationToken);
        return (policy, record);
    }

    public async Task<PolicyVersionView> ApproveAsync(ClaimsPrincipal caller, string version, CancellationToken cancellationToken)
    {
        if (version.Length != 64 || !version.All(char.IsAsciiHexDigitLower))
        {
            throw new InvalidRequestException("A policy version is the 64 lower-case hex digits of its SHA-256 (GET /api/policy gives the one in force).");
        }
        var approver = caller.UserName();
        var approverName = caller.DisplayName();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var record = await PolicyVersionStore.FindAsync(connection, version, transaction)
                     ?? throw new NotFoundException($"No policy version {version} has been recorded (GET /api/policy/history lists them).");
        // Separation of duties: whoever changed the configuration does not approve the policy it produced.
        if (record.ChangedBy is { } changer && (Same(changer, approver) || Same(changer, approverName)))
        {
            throw new PolicyDeniedException($"You made this change ({CurrentPolicy.ChangedByKey} = {changer}): another reviewer must approve policy version {version}.");
        }
        var now = AuditHash.ToStoredPrecision(time.GetUtcNow());
        if (record.ApprovedAt is not null || !await PolicyVersionStore.TryApproveAsync(connection, transaction, version, approver, approverName, now))
        {
            // Approved already (or by a concurrent request): a repeat by the same reviewer is answered as done.
            var approved = (await PolicyVersionStore.FindAsync(connection, version, transaction))!;
            if (approved.ApprovedBy == approver) return PolicyVersionView.From(approved, current.Version);
            throw new ConflictException($"Policy version {version} was already approved by {approved.ApprovedByName} at {approved.ApprovedAt:O}.");
        }
        await audit.AppendAsync(connection, transaction, null, ApprovedEvent, approver, new Dictionary<string, object?>
        {
            ["version"] = version,
            ["approvedByName"] = approverName,
            ["changedBy"] = record.ChangedBy,
            ["firstSeenAt"] = record.FirstSeenAt,
        });
        await transaction.CommitAsync(cancellationToken);
        return PolicyVersionView.From(record with { ApprovedBy = approver, ApprovedByName = approverName, ApprovedAt = now }, current.Version);
    }

    public async Task<IReadOnlyList<PolicyVersionRecord>> HistoryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await PolicyVersionStore.ListAsync(connection);
    }

    private static bool Same(string left, string right) => string.Equals(left.Trim(), right.Trim(), StringComparison.OrdinalIgnoreCase);
}
