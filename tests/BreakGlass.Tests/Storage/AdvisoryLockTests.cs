using BreakGlass.Storage;
using BreakGlass.Tests.Infrastructure;
using Npgsql;

namespace BreakGlass.Tests.Storage;

/// <summary>The advisory-lock registry against a real PostgreSQL: features never take each other's locks.</summary>
public sealed class AdvisoryLockTests : IAsyncLifetime
{
    private NpgsqlDataSource _database = null!;

    public async Task InitializeAsync() =>
        _database = NpgsqlDataSource.Create(await (await PostgresServer.GetAsync()).CreateDatabaseAsync("locks"));

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public void EveryLockHasItsOwnNameAndKey()
    {
        var names = AdvisoryLocks.ServiceLocks.Select(item => item.Name).Concat(AdvisoryLocks.Spaces.Select(item => item.Name)).ToList();
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(AdvisoryLocks.Spaces.Count, AdvisoryLocks.Spaces.Select(item => item.Space).Distinct().Count());
        Assert.Equal(AdvisoryLocks.ServiceLocks.Count, AdvisoryLocks.ServiceLocks.Select(item => item.Key).Distinct().Count());
    }

    [Fact]
    public async Task TwoFeaturesNeverShareAKeyForTheSameId()
    {
        var id = Guid.NewGuid().ToString();
        await using var holder = await _database.OpenConnectionAsync();
        await using var other = await _database.OpenConnectionAsync();
        foreach (var held in AdvisoryLocks.Spaces)
        {
            Assert.True(await held.TryTakeAsync(holder, id));
            foreach (var wanted in AdvisoryLocks.Spaces)
            {
                var taken = await wanted.TryTakeAsync(other, id);
                Assert.True(taken == (wanted != held), $"{wanted} for {id} while another session holds {held}: taken = {taken}");
                if (taken) await wanted.ReleaseAsync(other, id);
            }
            await held.ReleaseAsync(holder, id);
        }
    }

    [Fact]
    public async Task AServiceLockNeverBlocksAPerIdLock()
    {
        await using var holder = await _database.OpenConnectionAsync();
        await using var other = await _database.OpenConnectionAsync();
        foreach (var service in AdvisoryLocks.ServiceLocks)
        {
            await service.TakeAsync(holder, CancellationToken.None);
            foreach (var space in AdvisoryLocks.Spaces)
            {
                var id = Guid.NewGuid();
                Assert.True(await space.TryTakeAsync(other, id), $"{space} while another session holds {service}");
                await space.ReleaseAsync(other, id);
            }
            await service.ReleaseAsync(holder);
        }
    }
}
