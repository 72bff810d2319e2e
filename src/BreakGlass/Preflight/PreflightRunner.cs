using Amazon.SecurityToken;
using BreakGlass.Accounts;
using BreakGlass.Audit;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Aws.Iam;
using BreakGlass.Aws.Sts;
using BreakGlass.Evidence;
using BreakGlass.Policy;
using BreakGlass.Revocation;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BreakGlass.Preflight;

/// <summary>
/// Proves, for every configured role, that each path a grant will need works — before anyone needs it at 3 AM: the
/// account's agent can be assumed, the deny can be read and written, the role's trust names the broker, and CloudTrail
/// answers LookupEvents. No session of a break-glass role is minted. Every run is recorded as an audit event and a
/// failure is an ALERT.
/// </summary>
internal sealed class PreflightRunner(
    IOptionsMonitor<PolicyOptions> policy,
    AccountDirectory accounts,
    IAmazonSecurityTokenService sts,
    BrokerIdentity broker,
    RoleDenyWriter denies,
    LookupEventsSource lookup,
    NpgsqlDataSource database,
    AuditLog audit,
    TimeProvider time,
    ILogger<PreflightRunner> logger)
{
    public async Task<PreflightReport> RunAsync(string actor, CancellationToken cancellationToken)
    {
        var checkedAt = time.GetUtcNow();
        // The start-up lookup may have found STS busy: without the broker's identity, no trust can be checked.
        await broker.ResolveArnAsync(cancellationToken);
        var agents = new Dictionary<string, Task<PreflightCheck>>(StringComparer.Ordinal);
        var lookups = new Dictionary<string, Task<PreflightCheck>>(StringComparer.Ordinal);
        var roles = new List<RolePreflight>();
        foreach (var role in policy.CurrentValue.Roles)
        {
            var account = RoleArn.AccountId(role.RoleArn);
            if (accounts.UnreachableReason(account) is { } unreachable)
            {
                roles.Add(Failed(role.Name, account, PreflightChecks.AgentAssumable, unreachable));
                continue;
            }
            // Roles in one account share its agent and its CloudTrail: each is checked once per run.
            if (!agents.TryGetValue(account, out var agentCheck)) agents[account] = agentCheck = CheckAgentAsync(account, cancellationToken);
            var agent = await agentCheck;
            if (!agent.Ok)
            {
                roles.Add(Failed(role.Name, account, agent));
                continue;
            }
            if (!lookups.TryGetValue(account, out var lookupCheck)) lookups[account] = lookupCheck = CheckLookupEventsAsync(account, cancellationToken);
            PreflightCheck[] checks =
            [
                agent,
                await CheckAsync(PreflightChecks.DenyReadWrite, () => denies.ProbeAsync(role.RoleArn, cancellationToken), cancellationToken),
                await CheckTrustAsync(role.RoleArn, cancellationToken),
                await lookupCheck,
            ];
            roles.Add(new RolePreflight(role.Name, account, checks.All(check => check.Ok), checks));
        }
        var report = new PreflightReport(roles.All(role => role.Ok), checkedAt, roles);
        await RecordAsync(report, actor, cancellationToken);
        return report;
    }

    private async Task<PreflightCheck> CheckAgentAsync(string account, CancellationToken cancellationToken)
    {
        if (accounts.Members.FirstOrDefault(member => member.Id == account) is not { } member)
        {
            return new PreflightCheck(PreflightChecks.AgentAssumable, true,
                $"{account} is BreakGlass's own account: it acts there as itself ({broker.Arn ?? "identity not yet known"}), without an agent");
        }
        return await CheckAsync(PreflightChecks.AgentAssumable, async () =>
        {
            var session = await sts.AssumeRoleAsync(AgentCredentials.Request(member), cancellationToken);
            return $"assumed {member.AgentRoleArn} as {session.AssumedRoleUser.Arn}"
                   + (string.IsNullOrEmpty(member.ExternalId) ? "" : " with its external id");
        }, cancellationToken);
    }

    private Task<PreflightCheck> CheckTrustAsync(string roleArn, CancellationToken cancellationToken) =>
        CheckAsync(PreflightChecks.TrustNamesBroker, async () =>
        {
            var brokerArn = broker.Arn ?? throw new PreflightFailedException("BreakGlass does not know its own identity: sts:GetCallerIdentity did not answer");
            var trust = await accounts.IamFor(roleArn).GetRoleTrustPolicyAsync(RoleArn.RoleName(roleArn), cancellationToken)
                        ?? throw new PreflightFailedException($"{roleArn} does not exist");
            var (ok, detail) = BrokerTrust.Check(trust, brokerArn);
            return ok ? detail : throw new PreflightFailedException(detail);
        }, cancellationToken);

    /// <summary>One LookupEvents page in each searched region, through the account's shared rate gate.</summary>
    private Task<PreflightCheck> CheckLookupEventsAsync(string account, CancellationToken cancellationToken) =>
        CheckAsync(PreflightChecks.LookupEvents, async () =>
        {
            var now = time.GetUtcNow();
            foreach (var region in lookup.Regions)
            {
                await lookup.GateFor(account, region).WaitAsync(cancellationToken);
                await lookup.ClientFor(account, region).LookupEventsAsync(new LookupEventsRequest
                {
                    LookupAttributes = [new LookupAttribute(LookupAttributeKeys.EventSource, "sts.amazonaws.com")],
                    StartTime = now.AddMinutes(-5),
                    EndTime = now,
                    MaxResults = 1,
                }, cancellationToken);
            }
            return $"answered in {string.Join(", ", lookup.Regions)}";
        }, cancellationToken);

    private static async Task<PreflightCheck> CheckAsync(string name, Func<Task<string>> check, CancellationToken cancellationToken)
    {
        try
        {
            return new PreflightCheck(name, true, await check());
        }
        // Any failure is the check's result (an HttpClient timeout too); only the caller's own cancellation is not.
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested)
        {
            return new PreflightCheck(name, false, failure.Message);
        }
    }

    private static RolePreflight Failed(string role, string account, string name, string detail) =>
        Failed(role, account, new PreflightCheck(name, false, detail));

    /// <summary>The first check failed: the others depend on it and are reported as not run.</summary>
    private static RolePreflight Failed(string role, string account, PreflightCheck first) =>
        new(role, account, false,
        [
            first,
            .. new[] { PreflightChecks.DenyReadWrite, PreflightChecks.TrustNamesBroker, PreflightChecks.LookupEvents }
                .Select(name => new PreflightCheck(name, false, $"not checked: {first.Name} failed")),
        ]);

    private async Task RecordAsync(PreflightReport report, string actor, CancellationToken cancellationToken)
    {
        var failures = report.Roles.Where(role => !role.Ok)
            .Select(role => $"{role.Role} ({role.Account}): " + string.Join("; ", role.Checks.Where(check => !check.Ok).Take(1).Select(check => $"{check.Name}: {check.Detail}")))
            .ToArray();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await audit.AppendAsync(connection, transaction, null, PreflightAuditEvents.Completed, actor, new Dictionary<string, object?>
            {
                ["ok"] = report.Ok,
                ["checkedAt"] = report.CheckedAt,
                ["roles"] = report.Roles.Count,
                ["failures"] = failures,
            });
            await transaction.CommitAsync(cancellationToken);
        }
        if (report.Ok) PreflightLog.Passed(logger, report.Roles.Count);
        else PreflightLog.Failed(logger, failures.Length, string.Join(" | ", failures));
    }
}

/// <summary>A check found the path broken; its message is the report's detail.</summary>
internal sealed class PreflightFailedException(string detail) : Exception(detail);

internal static class PreflightAuditEvents
{
    /// <summary>A preflight run, scheduled or asked for, with its outcome.</summary>
    public const string Completed = "preflight.completed";
}
