using BreakGlass.Jobs;
using BreakGlass.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using BreakGlass.Tests.Linear;
using Microsoft.Extensions.Logging;

namespace BreakGlass.Tests.Jobs;

/// <summary>The loop every sweeper shares, run by a real generic host: no pass can stop the host or the sweeping.</summary>
public sealed class SweeperTests
{
    private static readonly TimeSpan Until = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PassesThatThrowTimeOutOrHangNeverStopTheHostAndTheNextPassRuns()
    {
        // Pass 3 ignores its cancellation altogether; pass 4 honours it; pass 2 is what an HttpClient timeout throws.
        var hung = new TaskCompletionSource();
        var script = new Func<CancellationToken, Task>[]
        {
            _ => throw new InvalidOperationException("storage unavailable"),
            _ => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 10 seconds elapsing.", new TimeoutException()),
            _ => hung.Task,
            token => Task.Delay(Timeout.Infinite, token),
            _ => throw new OperationCanceledException("cancelled by something other than the host"),
        };
        var logs = new CapturedLogs();
        var sweeper = new ScriptedSweeper(script, logs);
        using var host = StartHost(sweeper);
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();

        Assert.True(await Eventually.TrueAsync(() => sweeper.PassesStarted > script.Length + 1, Until),
            $"only {sweeper.PassesStarted} passes started");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "a pass stopped the host");
        Assert.True(sweeper.PassesCompleted >= 1);
        Assert.Equal(3, Messages(logs).Count(line => line.Contains("pass failed", StringComparison.Ordinal)));
        Assert.Equal(2, Messages(logs).Count(line => line.Contains("did not finish within", StringComparison.Ordinal)));
        hung.SetResult();
        await host.StopAsync();
    }

    [Fact]
    public async Task StoppingTheHostEndsARunningPassAndTheLoop()
    {
        var logs = new CapturedLogs();
        var sweeper = new ScriptedSweeper([token => Task.Delay(Timeout.Infinite, token)], logs, passTimeout: Timeout.InfiniteTimeSpan);
        using var host = StartHost(sweeper);
        Assert.True(await Eventually.TrueAsync(() => sweeper.PassesStarted == 1, Until));

        await host.StopAsync();

        Assert.True(sweeper.ExecuteTask!.IsCompletedSuccessfully, $"the loop ended {sweeper.ExecuteTask.Status}");
        Assert.DoesNotContain(Messages(logs), line => line.Contains("failed", StringComparison.Ordinal));
    }

    private static IEnumerable<string> Messages(CapturedLogs logs) => logs.Entries.Select(entry => entry.Message);

    private static IHost StartHost(ScriptedSweeper sweeper)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddHostedService(_ => sweeper);
        var host = builder.Build();
        host.Start();
        return host;
    }

    /// <summary>Runs the scripted passes in turn, then passes that succeed.</summary>
    private sealed class ScriptedSweeper(IReadOnlyList<Func<CancellationToken, Task>> script, CapturedLogs logs, TimeSpan? passTimeout = null)
        : Sweeper(TimeProvider.System, logs.CreateLogger(nameof(ScriptedSweeper)))
    {
        private int _started;
        private int _completed;

        public int PassesStarted => Volatile.Read(ref _started);
        public int PassesCompleted => Volatile.Read(ref _completed);

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(50);
        protected override TimeSpan PassTimeout => passTimeout ?? TimeSpan.FromSeconds(2);

        protected override async Task RunPassAsync(CancellationToken cancellationToken)
        {
            var index = Interlocked.Increment(ref _started) - 1;
            if (index < script.Count)
            {
                await script[index](cancellationToken);
                return;
            }
            Interlocked.Increment(ref _completed);
        }
    }
}
