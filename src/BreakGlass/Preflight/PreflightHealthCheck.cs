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
        if (await LastPreflight.ReadAsync(connection, cancellationToken) is not { } last)
        {
            return HealthCheckResult.Healthy("no preflight has run yet (GET /api/preflight runs one)");
        }
        return last.Failures.Count == 0
            ? HealthCheckResult.Healthy($"preflight passed at {last.CheckedAt:O}")
            : HealthCheckResult.Degraded($"preflight failed at {last.CheckedAt:O}: {string.Join(" | ", last.Failures)}");
    }
}
