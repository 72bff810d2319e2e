using System.Text.Json;
using BreakGlass.Audit;
using Npgsql;

namespace BreakGlass.Preflight;

/// <summary>The last preflight, whichever instance ran it, as its audit event recorded it.</summary>
internal sealed record LastPreflight(DateTimeOffset CheckedAt, IReadOnlyList<string> Failures)
{
    public static async Task<LastPreflight?> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await AuditLog.LatestServiceEventAsync(connection, PreflightAuditEvents.Completed, cancellationToken) is not { } last) return null;
        using var data = JsonDocument.Parse(last.Data);
        var failures = data.RootElement.GetProperty("failures").EnumerateArray().Select(failure => failure.GetString() ?? "").ToArray();
        return new LastPreflight(last.OccurredAt, failures);
    }
}
