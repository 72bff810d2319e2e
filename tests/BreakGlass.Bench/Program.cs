using BreakGlass.Bench;
using BreakGlass.Tests.Infrastructure;

// dotnet run -c Release --project tests/BreakGlass.Bench [iterations] [lag-grants]
// dotnet run -c Release --project tests/BreakGlass.Bench evidence [events-per-grant] [concurrent-grants]
// dotnet run -c Release --project tests/BreakGlass.Bench cli [iterations]
// dotnet run -c Release --project tests/BreakGlass.Bench register [grants] [writers]
// dotnet run -c Release --project tests/BreakGlass.Bench mass-expiry [grants] [roles]
// dotnet run -c Release --project tests/BreakGlass.Bench burst [engineers] [rounds]
if (args is ["evidence", .. var evidenceArgs])
{
    await EvidenceThroughput.RunAsync(
        evidenceArgs.Length > 0 ? int.Parse(evidenceArgs[0]) : 2000,
        evidenceArgs.Length > 1 ? int.Parse(evidenceArgs[1]) : 4);
    return;
}
if (args is [("mass-expiry" or "burst") and var scale, .. var scaleArgs])
{
    var massExpiry = scale == "mass-expiry";
    var manyRoles = new ManyRolesFixture(massExpiry && scaleArgs.Length > 1 ? int.Parse(scaleArgs[1]) : 50);
    manyRoles.Overrides["RateLimits__GrantRequestsPerMinute"] = "100000";
    manyRoles.Overrides["Logging__LogLevel__Default"] = "Warning";
    // The deny lock's hold times are logged at Debug; the sweeper runs at its production interval, the jobs are the fast path.
    manyRoles.Overrides["Logging__LogLevel__BreakGlass.Revocation.RoleDenyWriter"] = "Debug";
    manyRoles.Overrides["Revocation__SweepIntervalSeconds"] = "60";
    await manyRoles.InitializeAsync();
    try
    {
        Console.WriteLine($"{DateTime.UtcNow:u}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {ServiceFootprint.LoadAverage()}");
        if (massExpiry)
        {
            await MassExpiry.RunAsync(manyRoles, scaleArgs.Length > 0 ? int.Parse(scaleArgs[0]) : 1000);
        }
        else
        {
            await GrantBurst.RunAsync(manyRoles, scaleArgs.Length > 0 ? int.Parse(scaleArgs[0]) : 50, scaleArgs.Length > 1 ? int.Parse(scaleArgs[1]) : 5);
        }
    }
    finally
    {
        await manyRoles.DisposeAsync();
    }
    return;
}
var register = args is ["register", .. var registerArgs]
    ? (Grants: registerArgs.Length > 0 ? int.Parse(registerArgs[0]) : 100_000, Writers: registerArgs.Length > 1 ? int.Parse(registerArgs[1]) : 2)
    : ((int Grants, int Writers)?)null;
var fixture = register is { } seeded ? new RegisterFixture(seeded.Grants, seeded.Writers) : new BreakGlassFixture();
fixture.Overrides["RateLimits__GrantRequestsPerMinute"] = "100000";
fixture.Overrides["Policy__MaxOpenGrantsPerRequester"] = "100000";
fixture.Overrides["Logging__LogLevel__Default"] = "Warning";
await fixture.InitializeAsync();
try
{
    Console.WriteLine($"{DateTime.UtcNow:u}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    if (register is { } large)
    {
        await RegisterLatency.RunAsync((RegisterFixture)fixture, large.Grants);
    }
    else if (args is ["cli", .. var cliArgs])
    {
        await CliLatency.RunAsync(fixture, cliArgs.Length > 0 ? int.Parse(cliArgs[0]) : 30, warmup: 3);
    }
    else
    {
        await GrantLatency.RunAsync(fixture, args.Length > 0 ? int.Parse(args[0]) : 200, warmup: 20);
        await RevocationLag.RunAsync(fixture, args.Length > 1 ? int.Parse(args[1]) : 10);
    }
}
finally
{
    await fixture.DisposeAsync();
}
