using BreakGlass.Cli;

return await CliApp.RunAsync(args, CliHost.FromProcess());
