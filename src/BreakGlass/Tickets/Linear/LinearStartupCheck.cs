using Microsoft.Extensions.Options;

namespace BreakGlass.Tickets.Linear;

/// <summary>
/// Checks at startup that the configured team and labels exist and says plainly what is wrong. It never
/// stops the service: break-glass access must not depend on Linear, tickets just stay pending.
/// </summary>
internal sealed partial class LinearStartupCheck(
    IServiceScopeFactory scopes, IOptions<LinearOptions> options, ILogger<LinearStartupCheck> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IsConfigured)
        {
            LogNotConfigured();
            return;
        }
        using var scope = scopes.CreateScope();
        try
        {
            var target = await scope.ServiceProvider.GetRequiredService<LinearTargetResolver>().ResolveAsync(stoppingToken);
            LogReady(target.Team.Key, target.LabelIds.Count);
        }
        catch (LinearException e) when (e.Kind is LinearErrorKind.Transient or LinearErrorKind.RateLimited)
        {
            LogUnreachable(e.Message);
        }
        catch (LinearException e)
        {
            LogMisconfigured(e.Kind, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linear is not configured (Linear:ApiKey, Linear:TeamId): tickets stay pending")]
    private partial void LogNotConfigured();

    [LoggerMessage(Level = LogLevel.Information, Message = "Linear ready: filing in team {TeamKey} with {LabelCount} label(s)")]
    private partial void LogReady(string teamKey, int labelCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Linear could not be checked at startup, tickets will be filed when it answers: {Reason}")]
    private partial void LogUnreachable(string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Linear is misconfigured ({Kind}), tickets cannot be filed until this is fixed: {Reason}")]
    private partial void LogMisconfigured(LinearErrorKind kind, string reason);
}
