using BreakGlass.Bench;
using BreakGlass.Tests.Infrastructure;

// dotnet run -c Release --project tests/BreakGlass.Bench [iterations] [lag-grants]
// dotnet run -c Release --project tests/BreakGlass.Bench evidence [events-per-grant] [concurrent-grants]
if (args is ["evidence", .. var evidenceArgs])
{
    await EvidenceThroughput.RunAsync(
        evidenceArgs.Length > 0 ? int.Parse(evidenceArgs[0]) : 2000,
        evidenceArgs.Length > 1 ? int.Parse(evidenceArgs[1]) : 4);
    return;
}
var iterations = args.Length > 0 ? int.Parse(args[0]) : 200;
var lagGrants = args.Length > 1 ? int.Parse(args[1]) : 10;
var fixture = new BreakGlassFixture();
fixture.Overrides["RateLimits__GrantRequestsPerMinute"] = "100000";
fixture.Overrides["Policy__MaxOpenGrantsPerRequester"] = "100000";
fixture.Overrides["Logging__LogLevel__Default"] = "Warning";
await fixture.InitializeAsync();
try
{
    Console.WriteLine($"{DateTime.UtcNow:u}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    await GrantLatency.RunAsync(fixture, iterations, warmup: 20);
    await RevocationLag.RunAsync(fixture, lagGrants);
}
finally
{
    await fixture.DisposeAsync();
}
