using BreakGlass.Aws.CloudTrail;
using Microsoft.Extensions.Time.Testing;

namespace BreakGlass.Tests.CloudTrail;

public sealed class TokenBucketRequestRateGateTests
{
    [Fact]
    public async Task PermitsAreSpacedByTheRateWithNoInitialBurst()
    {
        var time = new FakeTimeProvider();
        var gate = new TokenBucketRequestRateGate(requestsPerSecond: 2, time);

        var first = gate.WaitAsync(CancellationToken.None).AsTask();
        var second = gate.WaitAsync(CancellationToken.None).AsTask();
        var third = gate.WaitAsync(CancellationToken.None).AsTask();

        Assert.True(first.IsCompletedSuccessfully);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.False(third.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await third;
    }

    [Fact]
    public async Task AnIdleGateAdmitsAtOnceButNeverTwiceWithinAnInterval()
    {
        var time = new FakeTimeProvider();
        var gate = new TokenBucketRequestRateGate(requestsPerSecond: 2, time);
        await gate.WaitAsync(CancellationToken.None);

        time.Advance(TimeSpan.FromSeconds(10));
        var afterIdle = gate.WaitAsync(CancellationToken.None).AsTask();
        var next = gate.WaitAsync(CancellationToken.None).AsTask();

        Assert.True(afterIdle.IsCompletedSuccessfully);
        Assert.False(next.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        await next;
    }

    [Fact]
    public async Task AWaitCanBeCancelled()
    {
        var time = new FakeTimeProvider();
        var gate = new TokenBucketRequestRateGate(requestsPerSecond: 1, time);
        await gate.WaitAsync(CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = gate.WaitAsync(cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
