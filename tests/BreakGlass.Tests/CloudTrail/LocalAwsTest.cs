using BreakGlass.LocalAws;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.CloudTrail;

/// <summary>A fresh LocalAws front for each test (its own event store and throttle), over the class's moto.</summary>
public abstract class LocalAwsTest(MotoServer moto) : IAsyncLifetime
{
    private protected LocalAwsHost Front { get; private set; } = null!;

    private protected LocalAwsTestClient LocalAws { get; private set; } = null!;

    protected MotoServer Moto { get; } = moto;

    public async Task InitializeAsync()
    {
        Front = await LocalAwsApp.StartAsync(0, Moto.Endpoint);
        LocalAws = new LocalAwsTestClient(Front.BaseUrl);
    }

    public async Task DisposeAsync() => await Front.DisposeAsync();
}
