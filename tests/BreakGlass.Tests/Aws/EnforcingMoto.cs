using Amazon.Runtime;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Aws;

/// <summary>A moto with an all-powerful broker user, after which every request must be signed by a known identity.</summary>
public sealed class EnforcingMoto : IAsyncLifetime
{
    public MotoServer Moto { get; } = new();

    public string BrokerArn { get; private set; } = "";

    public BasicAWSCredentials BrokerCredentials { get; private set; } = MotoIam.AnyCredentials;

    public async Task InitializeAsync()
    {
        await Moto.InitializeAsync();
        (BrokerArn, BrokerCredentials) = await MotoIam.CreateAdminUserAsync(MotoIam.Environment(Moto, MotoIam.AnyCredentials));
        await Moto.EnforceAuthenticationAsync();
    }

    public Task DisposeAsync() => Moto.DisposeAsync();
}
