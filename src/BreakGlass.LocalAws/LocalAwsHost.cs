namespace BreakGlass.LocalAws;

/// <summary>A running front; disposing it stops it.</summary>
internal sealed class LocalAwsHost(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
