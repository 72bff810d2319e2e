using Npgsql;

namespace BreakGlass.Aws.CloudTrail;

/// <summary>
/// A gate shared by every process on one database: each request takes the next free slot of its account and
/// region in one atomic statement, then waits for it. Slots are 1/rate apart and times come from the database's
/// clock, so instances with skewed clocks still never crowd a slot.
/// </summary>
internal sealed class PostgresRequestRateGate : IRequestRateGate
{
    private readonly NpgsqlDataSource _database;
    private readonly string _accountId;
    private readonly string _region;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;

    /// <summary>
    /// Added to every interval. AWS counts requests as they arrive, and the network delays each one differently:
    /// two sent exactly 1/rate apart may arrive closer and be throttled (measured: about a third of requests at
    /// 2 per second). This much slack absorbs that jitter; benchmarks in docs/benchmarks.md.
    /// </summary>
    public static readonly TimeSpan ArrivalJitterGuard = TimeSpan.FromMilliseconds(50);

    public PostgresRequestRateGate(NpgsqlDataSource database, string accountId, string region, double requestsPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        _database = database;
        _accountId = accountId;
        _region = region;
        // Whole microseconds, as PostgreSQL keeps them; rounded up so the rate is never exceeded.
        _interval = TimeSpan.FromMicroseconds(Math.Ceiling(1_000_000 / requestsPerSecond)) + ArrivalJitterGuard;
        _time = time;
    }

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand(
            """
            INSERT INTO cloudtrail_rate_slots AS slots (account_id, region, next_slot)
            VALUES ($1, $2, clock_timestamp() + $3)
            ON CONFLICT (account_id, region)
                DO UPDATE SET next_slot = greatest(clock_timestamp(), slots.next_slot) + $3
            RETURNING extract(epoch FROM (slots.next_slot - $3 - clock_timestamp()))::float8
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = _region });
        command.Parameters.Add(new NpgsqlParameter { Value = _interval });
        var secondsUntilSlot = (double)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (secondsUntilSlot > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(secondsUntilSlot), _time, cancellationToken);
        }
    }
}
