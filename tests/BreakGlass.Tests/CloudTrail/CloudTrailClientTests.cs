using BreakGlass.Aws.CloudTrail;
using BreakGlass.Tests.Infrastructure;
using static BreakGlass.Tests.CloudTrail.LocalAwsTestClient;

namespace BreakGlass.Tests.CloudTrail;

public sealed class CloudTrailClientTests(MotoServer moto) : LocalAwsTest(moto), IClassFixture<MotoServer>
{
    private static readonly DateTimeOffset WindowStart = new(2025, 3, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset WindowEnd = WindowStart.AddHours(1);

    [Fact]
    public async Task LookupAllFollowsNextTokenAndKeepsToTheKeyAndWindow()
    {
        var key = NewAccessKeyId();
        var inWindow = Enumerable.Range(0, 230).Select(i => Event(key, WindowStart.AddSeconds(i * 15))).ToList();
        await LocalAws.SeedAsync([
            .. inWindow,
            Event(key, WindowStart.AddSeconds(-1)), Event(key, WindowEnd.AddSeconds(1)),
            .. Enumerable.Range(0, 40).Select(i => Event(NewAccessKeyId(), WindowStart.AddSeconds(i))),
        ]);
        var gate = new TokenBucketRequestRateGate(2, TimeProvider.System);

        var events = await LocalAws.CloudTrail().LookupAllAsync(LookupAttribute.AccessKeyId(key), WindowStart, WindowEnd, gate, CancellationToken.None).ToListAsync();

        Assert.Equal(230, events.Count);
        Assert.Equal(inWindow.Select(record => record["eventID"]!.GetValue<string>()).Reverse(), events.Select(trailEvent => trailEvent.EventId));
        Assert.All(events, trailEvent => Assert.Equal(key, trailEvent.AccessKeyId));
        var last = events[^1];
        Assert.Equal(WindowStart, last.EventTime);
        Assert.Equal("ec2.amazonaws.com", last.EventSource);
        Assert.Equal(key, CloudTrailRecord.Parse(last.CloudTrailEvent!).AccessKeyId);
    }

    [Fact]
    public async Task ThrottledPagesAreRetriedWithBackoffUntilTheyPass()
    {
        var key = NewAccessKeyId();
        await LocalAws.SeedAsync(Enumerable.Range(0, 400).Select(i => Event(key, WindowStart.AddSeconds(i))));
        var unlimited = new CountingGate(inner: null);

        var events = await LocalAws.CloudTrail().LookupAllAsync(LookupAttribute.AccessKeyId(key), WindowStart, WindowEnd, unlimited, CancellationToken.None).ToListAsync();

        Assert.Equal(400, events.Select(trailEvent => trailEvent.EventId).Distinct().Count());
        Assert.True(unlimited.Waits > 8, $"eight pages took {unlimited.Waits} requests: the front should have throttled some");
    }

    [Fact]
    public async Task AnInvalidRequestFailsAtOnceWithItsTypedError()
    {
        var gate = new CountingGate(inner: null);

        var error = await Assert.ThrowsAsync<CloudTrailException>(() =>
            LocalAws.CloudTrail().LookupAllAsync(LookupAttribute.AccessKeyId(NewAccessKeyId()), WindowEnd, WindowStart, gate, CancellationToken.None).ToListAsync().AsTask());

        Assert.Equal("InvalidTimeRangeException", error.ErrorCode);
        Assert.False(error.IsThrottling);
        Assert.NotNull(error.RequestId);
        Assert.Equal(1, gate.Waits);
    }

    [Fact]
    public async Task OnePageHonoursMaxResultsAndReturnsAToken()
    {
        var key = NewAccessKeyId();
        await LocalAws.SeedAsync(Enumerable.Range(0, 3).Select(i => Event(key, WindowStart.AddSeconds(i), "iam-create-access-key")));

        var page = await LocalAws.CloudTrail().LookupEventsAsync(new LookupEventsRequest
        {
            LookupAttributes = [new LookupAttribute(LookupAttributeKeys.AccessKeyId, key)],
            StartTime = WindowStart,
            EndTime = WindowEnd.AddMilliseconds(500),
            MaxResults = 2,
        }, CancellationToken.None);

        Assert.Equal(2, page.Events.Count);
        Assert.NotNull(page.NextToken);
        Assert.Equal("false", page.Events[0].ReadOnly);
        Assert.Equal("alice@example.com", page.Events[0].Username);
    }

    /// <summary>Counts requests, retries included; without an inner gate it lets everything through at once.</summary>
    private sealed class CountingGate(IRequestRateGate? inner) : IRequestRateGate
    {
        private int _waits;

        public int Waits => _waits;

        public ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _waits);
            return inner?.WaitAsync(cancellationToken) ?? ValueTask.CompletedTask;
        }
    }
}
