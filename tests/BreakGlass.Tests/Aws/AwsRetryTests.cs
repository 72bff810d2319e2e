using BreakGlass.Aws;

namespace BreakGlass.Tests.Aws;

public sealed class AwsRetryTests
{
    [Fact]
    public void AFailedConnectionIsTransient()
    {
        Assert.True(AwsRetry.IsTransientNetworkFailure(
            new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"), CancellationToken.None));
    }

    [Fact]
    public void HttpClientsOwnTimeoutIsTransient()
    {
        var timeout = new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout", new TimeoutException());

        Assert.True(AwsRetry.IsTransientNetworkFailure(timeout, CancellationToken.None));
    }

    [Fact]
    public void ACancellationTheCallerAskedForIsNotRetried()
    {
        using var caller = new CancellationTokenSource();
        caller.Cancel();

        Assert.False(AwsRetry.IsTransientNetworkFailure(new OperationCanceledException(caller.Token), caller.Token));
    }

    [Fact]
    public void AProgrammingErrorIsNotTransient()
    {
        Assert.False(AwsRetry.IsTransientNetworkFailure(new InvalidOperationException(), CancellationToken.None));
    }
}
