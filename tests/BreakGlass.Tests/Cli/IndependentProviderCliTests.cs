using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Tests.Cli;

/// <summary>
/// <c>breakglass login</c> against a provider that is not the development one: the service knows it only through
/// OIDC discovery (a realm path in its issuer, its own client id and scopes, an API audience), and the CLI signs in
/// to it by device flow from nothing but the service's URL.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class IndependentProviderCliTests(IndependentProviderFixture fixture) : IClassFixture<IndependentProviderFixture>
{
    [Fact]
    public async Task TheCliSignsInByDeviceFlowAtAnotherProviderAndBreaksGlass()
    {
        using var engineer = new EngineerWorkstation(fixture.Moto.Endpoint);
        var serviceUrl = fixture.Service.BaseAddress.ToString().TrimEnd('/');
        var log = new ConcurrentQueue<string>();
        using var login = engineer.StartBreakGlass(log, "login", serviceUrl);

        string? code = null;
        Assert.True(await Eventually.TrueAsync(() =>
        {
            code = log.Select(line => UserCode().Match(line)).FirstOrDefault(match => match.Success)?.Groups[1].Value;
            return code is not null || login.HasExited;
        }, Eventually.Patience), string.Join('\n', log));
        Assert.True(code is not null, string.Join('\n', log));
        await fixture.Provider.ApproveDeviceAsync(code, IndependentProvider.Olivia.Username);
        await login.WaitForExitAsync().WaitAsync(Eventually.Patience);
        var request = await engineer.BreakGlassAsync(
            "request", fixture.TakeDedicatedRole(), "--for", "15m", "--reason", "Checkout is down: restarting the payment workers", "--json");

        Assert.True(login.ExitCode == 0, string.Join('\n', log));
        Assert.Contains($"Signed in to {serviceUrl}", string.Join("\n", log));
        Assert.True(request.ExitCode == 0, request.ToString());
        var grant = JsonNode.Parse(request.Stdout)!["grant"]!;
        Assert.Equal(IndependentProvider.SubjectOf(IndependentProvider.Olivia.Username), (string)grant["requester"]!);
        Assert.Equal(IndependentProvider.Olivia.Username, (string)grant["requesterName"]!);
    }

    [GeneratedRegex(@"enter the code (\S+)")]
    private static partial Regex UserCode();
}
