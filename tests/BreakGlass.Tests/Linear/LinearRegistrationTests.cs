using BreakGlass.Tickets.Linear;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BreakGlass.Tests.Linear;

public sealed class LinearRegistrationTests
{
    [Fact]
    public async Task TheRegisteredClientTalksToTheConfiguredLinearWithTheConfiguredKey()
    {
        await using var linear = await LinearDouble.StartAsync();
        var team = linear.Workspace.AddTeam("OPS", "Operations");
        var label = linear.Workspace.AddLabel("break-glass", null);
        await using var services = Services(new()
        {
            ["Linear:ApiUrl"] = linear.Endpoint.ToString(),
            ["Linear:ApiKey"] = linear.ApiKey,
            ["Linear:TeamId"] = team.Id,
            ["Linear:Labels:0"] = "break-glass",
            // The double answers in milliseconds; a loaded CI box can need more than the 10 s default.
            ["Linear:RequestTimeout"] = "00:02:00",
        });

        var target = await services.GetRequiredService<LinearTargetResolver>().ResolveAsync(CancellationToken.None);

        Assert.Equal(team.Id, target.Team.Id);
        Assert.Equal([label.Id], target.LabelIds);
        Assert.Same(target, services.GetRequiredService<LinearTargetCache>().Target);
    }

    [Fact]
    public void WithoutKeyAndTeamLinearIsSimplyNotConfigured()
    {
        using var services = Services([]);

        var options = services.GetRequiredService<IOptions<LinearOptions>>().Value;

        Assert.False(options.IsConfigured);
        Assert.Equal(new Uri("https://api.linear.app/graphql"), options.ApiUrl);
    }

    [Theory]
    [InlineData("Linear:ApiKey", "lin_api_x", "Linear:ApiKey and Linear:TeamId must be set together")]
    [InlineData("Linear:ApiUrl", "http://api.linear.app/graphql", "Linear:ApiUrl must be an absolute https URL")]
    [InlineData("Linear:RequestTimeout", "00:00:00", "Linear:RequestTimeout")]
    [InlineData("Linear:Labels:0", " ", "Linear:Labels must not contain empty names")]
    public void AnInvalidSettingIsReportedByName(string key, string value, string expected)
    {
        using var services = Services(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LinearOptions>>().Value);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AKeyWithALineBreakIsRefusedWithoutRepeatingIt()
    {
        using var services = Services(new() { ["Linear:ApiKey"] = "lin_api_secret\n", ["Linear:TeamId"] = "t" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LinearOptions>>().Value);

        Assert.Contains("control characters", error.Message);
        Assert.DoesNotContain("lin_api_secret", error.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddLinear()
            .BuildServiceProvider();
    }
}
