using System.Globalization;
using BreakGlass.Tests.Infrastructure;
using Dapper;
using Npgsql;

namespace BreakGlass.Bench;

/// <summary>Rows and bytes per grant in every table that holds any, and each service instance's resident memory.</summary>
internal static class ServiceFootprint
{
    public static async Task PrintAsync(BreakGlassFixture fixture, IEnumerable<BreakGlassProcess> instances, string after)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        var grants = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM grants");
        var tables = (await connection.QueryAsync<string>(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables WHERE schemaname IN ('public', 'hangfire') ORDER BY 1")).AsList();
        Console.WriteLine($"footprint after {after}: {grants} grants");
        Console.WriteLine($"  {"table",-34} {"rows",8} {"rows/grant",11} {"bytes",12} {"bytes/grant",12}");
        foreach (var table in tables)
        {
            var rows = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
            if (rows == 0) continue;
            var bytes = await connection.ExecuteScalarAsync<long>("SELECT pg_total_relation_size(@table::regclass)", new { table });
            Console.WriteLine($"  {table,-34} {rows,8} {(double)rows / grants,11:F2} {bytes,12:N0} {(double)bytes / grants,12:N0}");
        }
        foreach (var instance in instances)
        {
            Console.WriteLine($"  service instance :{instance.Port} resident memory {ResidentMegabytes(instance):F0} MB");
        }
    }

    private static double ResidentMegabytes(BreakGlassProcess instance)
    {
        if (instance.ProcessId is not { } pid || !File.Exists($"/proc/{pid}/status")) return double.NaN;
        var line = File.ReadLines($"/proc/{pid}/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
