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
        var gates = new[] { Gate(Instance(), region, rate), Gate(Instance(), region, rate), Gate(Instance(), region, rate) };
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
        Assert.True(times[^1] < 14 / rate + 2, $"15 permits at {rate}/s took {times[^1]:F3} s");
    }

    [Fact]
    public async Task EachAccountAndRegionKeepsItsOwnPace()
    {
        var instance = Instance();
        var region = $"r-{Guid.NewGuid():N}";
        var gates = new[]
        {
            Gate(instance, region, 0.5), Gate(instance, region + "-other", 0.5), new PostgresRequestRateGate(instance, "210987654321", region, 0.5, TimeProvider.System),
        };
        var clock = Stopwatch.StartNew();

        foreach (var gate in gates) await gate.WaitAsync(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"three first permits of different keys took {clock.Elapsed}");
    }

    [Fact]
    public async Task AnIdleGateAdmitsAtOnceButNotTwiceWithinAnInterval()
    {
        var gate = Gate(Instance(), $"r-{Guid.NewGuid():N}", 4);
        await gate.WaitAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        await gate.WaitAsync(CancellationToken.None);
        var afterIdle = clock.Elapsed;
        await gate.WaitAsync(CancellationToken.None);

        Assert.True(afterIdle < TimeSpan.FromMilliseconds(150), $"an idle gate made a caller wait {afterIdle}");
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

    private static PostgresRequestRateGate Gate(NpgsqlDataSource instance, string region, double rate) =>
        new(instance, "123456789012", region, rate, TimeProvider.System);

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
    }
}
