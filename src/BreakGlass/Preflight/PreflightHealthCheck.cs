using System.Text.Json;
using BreakGlass.Audit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace BreakGlass.Preflight;

/// <summary>
/// The last preflight, whichever instance ran it, in <c>/readyz</c>: a failed one makes the service Degraded (it
/// still serves: the roles that pass work) and names the roles, so a broken path is seen before it is needed.
/// </summary>
internal sealed class PreflightHealthCheck(NpgsqlDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (await AuditLog.LatestServiceEventAsync(connection, PreflightAuditEvents.Completed, cancellationToken) is not { } last)
        {
            return HealthCheckResult.Healthy("no preflight has run yet (GET /api/preflight runs one)");
        }
        using var data = JsonDocument.Parse(last.Data);
        var failures = data.RootElement.GetProperty("failures").EnumerateArray().Select(failure => failure.GetString()).ToArray();
        return failures.Length == 0
            ? HealthCheckResult.Healthy($"preflight passed at {last.OccurredAt:O}")
            : HealthCheckResult.Degraded($"preflight failed at {last.OccurredAt:O}: {string.Join(" | ", failures)}");
    }
}
