using System.Diagnostics;
using BreakGlass.Aws.CloudTrail;
using BreakGlass.Storage;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace BreakGlass.Tests.Evidence;

/// <summary>The shared LookupEvents limiter against a real PostgreSQL, with one data source per simulated instance.</summary>
public sealed class PostgresRequestRateGateTests : IAsyncLifetime
{
    private string _connectionString = "";
    private readonly List<NpgsqlDataSource> _instances = [];

    public async Task InitializeAsync()
    {
        var postgres = await PostgresServer.GetAsync();
        var ownerConnectionString = await postgres.CreateDatabaseAsync("rategate");
        _connectionString = postgres.ServiceConnectionString(ownerConnectionString);
        await new DatabaseMigrator(Instance(), ownerConnectionString, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    [Fact]
    public async Task PermitsAcrossInstancesSharingTheDatabaseAreSpacedByTheRate()
    {
        const double rate = 5;
        var region = $"r-{Guid.NewGuid():N}";
        var time = new RecordingTimeProvider();
        var gates = new[] { Gate(Instance(), region, rate, time), Gate(Instance(), region, rate, time), Gate(Instance(), region, rate, time) };
        var clock = Stopwatch.StartNew();

        var admitted = await Task.WhenAll(Enumerable.Range(0, 15).Select(async index =>
        {
            await gates[index % gates.Length].WaitAsync(CancellationToken.None);
            return clock.Elapsed.TotalSeconds;
        }));

        // A timer may wake late, never early: the k-th permit comes no sooner than k intervals after the first slot,
        // which is no sooner than the clock started. That bounds every window: at most rate × length + 1 permits.
        var times = admitted.Order().ToArray();
        for (var k = 0; k < times.Length; k++)
        {
            Assert.True(times[k] >= k / rate - 0.02, $"permit {k} came {times[k]:F3} s after the start, sooner than {k}/{rate} s");
        }
        // Nor does the gate make anyone wait longer than their slot: the 15th permit waits at most 14 intervals.
        var interval = TimeSpan.FromSeconds(1 / rate) + PostgresRequestRateGate.ArrivalJitterGuard;
        Assert.All(time.Timers, wait => Assert.True(wait <= 14 * interval, $"a caller was made to wait {wait}, longer than 14 slots of {interval}"));
    }

    [Fact]
    public async Task EachAccountAndRegionKeepsItsOwnPace()
    {
        var instance = Instance();
        var region = $"r-{Guid.NewGuid():N}";
        var time = new RecordingTimeProvider();
        var gates = new[]
        {
            Gate(instance, region, 0.5, time), Gate(instance, region + "-other", 0.5, time), new PostgresRequestRateGate(instance, "210987654321", region, 0.5, time),
        };

        foreach (var gate in gates) await gate.WaitAsync(CancellationToken.None);

        Assert.Empty(time.Timers);
    }

    [Fact]
    public async Task AnIdleGateAdmitsAtOnceButNotTwiceWithinAnInterval()
    {
        var time = new RecordingTimeProvider();
        var gate = Gate(Instance(), $"r-{Guid.NewGuid():N}", 4, time);
        await gate.WaitAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        await gate.WaitAsync(CancellationToken.None);
        Assert.Empty(time.Timers);
        await gate.WaitAsync(CancellationToken.None);

        // The second permit waits for its slot (on a slow machine the slot may already have come: then no wait at all).
        var interval = TimeSpan.FromSeconds(0.25) + PostgresRequestRateGate.ArrivalJitterGuard;
        Assert.All(time.Timers, wait => Assert.True(wait <= interval, $"waited {wait} for a slot {interval} away"));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"two permits {clock.Elapsed} apart at 4/s");
    }

    [Fact]
    public async Task AWaitCanBeCancelled()
    {
        var gate = Gate(Instance(), $"r-{Guid.NewGuid():N}", 0.1);
        await gate.WaitAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.WaitAsync(cancellation.Token).AsTask());
    }

    private NpgsqlDataSource Instance()
    {
        var instance = NpgsqlDataSource.Create(_connectionString);
        _instances.Add(instance);
        return instance;
    }

    private static PostgresRequestRateGate Gate(NpgsqlDataSource instance, string region, double rate, TimeProvider? time = null) =>
        new(instance, "123456789012", region, rate, time ?? TimeProvider.System);

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
    }
}
