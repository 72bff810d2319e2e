using BreakGlass.LocalAws.CloudTrail;

namespace BreakGlass.LocalAws;

/// <summary>A running front; disposing it stops it.</summary>
internal sealed class LocalAwsHost(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>Every call the front recorded: tests and benchmarks count AWS calls here (IAM writes, for one).</summary>
    public EventStore Events => app.Services.GetRequiredService<EventStore>();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
