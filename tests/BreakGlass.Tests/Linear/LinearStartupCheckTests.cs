using BreakGlass.Tickets.Linear;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BreakGlass.Tests.Linear;

public sealed class LinearStartupCheckTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private LinearDouble _linear = null!;
    private LinearTeamRecord _team = null!;

    public async Task InitializeAsync()
    {
        _linear = await LinearDouble.StartAsync();
        _team = _linear.Workspace.AddTeam("OPS", "Operations");
        _linear.Workspace.AddLabel("break-glass", _team);
    }

    public async Task DisposeAsync() => await _linear.DisposeAsync();

    [Fact]
    public async Task AGoodConfigurationIsConfirmedWithTheTeamKey()
    {
        await RunStartupCheckAsync(Settings(labels: ["break-glass"]));

        Assert.Contains(_logs.Entries, e => e is { Level: LogLevel.Information } && e.Message.Contains("team OPS with 1 label"));
    }

    [Fact]
    public async Task AMissingLabelIsReportedAsCriticalByName()
    {
        await RunStartupCheckAsync(Settings(labels: ["break-glas"]));

        Assert.Contains(_logs.Entries, e => e is { Level: LogLevel.Critical } && e.Message.Contains("Linear:Labels \"break-glas\""));
    }

    [Fact]
    public async Task AnUnknownTeamIsReportedAsCriticalByName()
    {
        var teamId = Guid.NewGuid().ToString();

        await RunStartupCheckAsync(Settings(teamId: teamId));

        Assert.Contains(_logs.Entries, e => e is { Level: LogLevel.Critical } && e.Message.Contains($"Linear:TeamId \"{teamId}\""));
    }

    [Fact]
    public async Task AWrongKeyIsReportedAsCriticalWithoutTheKey()
    {
        await RunStartupCheckAsync(Settings(apiKey: "lin_api_wrong_key_value"));

        Assert.Contains(_logs.Entries, e => e is { Level: LogLevel.Critical } && e.Message.Contains(nameof(LinearErrorKind.Authentication)));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains("lin_api_wrong_key_value"));
    }

    [Fact]
    public async Task LinearBeingDownAtStartupIsOnlyAWarning()
    {
        await _linear.GoDownAsync(LinearOutage.ServiceUnavailable);

        await RunStartupCheckAsync(Settings());

        Assert.Contains(_logs.Entries, e => e is { Level: LogLevel.Warning } && e.Message.Contains("will be filed when it answers"));
        Assert.DoesNotContain(_logs.Entries, e => e.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task WithoutLinearConfiguredTheCheckSaysTicketsStayPending()
    {
        await RunStartupCheckAsync([]);

        Assert.Contains(_logs.Entries, e => e is { Level: LogLevel.Warning } && e.Message.Contains("tickets stay pending"));
        Assert.Equal(0, _linear.RequestCount);
    }

    private Dictionary<string, string?> Settings(string? apiKey = null, string? teamId = null, string[]? labels = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Linear:ApiUrl"] = _linear.Endpoint.ToString(),
            ["Linear:ApiKey"] = apiKey ?? _linear.ApiKey,
            ["Linear:TeamId"] = teamId ?? _team.Id,
            // The double answers in milliseconds; a loaded CI box can need more than the 10 s default.
            ["Linear:RequestTimeout"] = "00:02:00",
        };
        foreach (var (label, index) in (labels ?? []).Select((label, index) => (label, index)))
            settings[$"Linear:Labels:{index}"] = label;
        return settings;
    }

    private async Task RunStartupCheckAsync(Dictionary<string, string?> settings)
    {
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging(logging => logging.AddProvider(_logs))
            .AddSingleton(TimeProvider.System)
            .AddLinear()
            .BuildServiceProvider();
        var check = services.GetServices<IHostedService>().OfType<LinearStartupCheck>().Single();

        await check.StartAsync(CancellationToken.None);
        await check.ExecuteTask!;
    }
}
