using System.Diagnostics;

namespace BreakGlass.Observability;

/// <summary>BreakGlass's own spans: background work and the AWS calls a grant's fate depends on.</summary>
internal static class Telemetry
{
    public const string SourceName = "BreakGlass";

    /// <summary>The span attribute, and the log scope key, naming the grant in hand.</summary>
    public const string GrantIdAttribute = "breakglass.grant_id";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Names <paramref name="grantId"/> on the current span and in the log scope until disposed. With an
    /// <paramref name="operation"/>, a span of that name is started first (the work it covers gets its own span).
    /// </summary>
    public static IDisposable ForGrant(ILogger logger, Guid grantId, string? operation = null)
    {
        var activity = operation is null ? null : Source.StartActivity(operation);
        (activity ?? Activity.Current)?.SetTag(GrantIdAttribute, grantId.ToString());
        var scope = logger.BeginScope(new Dictionary<string, object> { [GrantIdAttribute] = grantId });
        return new GrantTelemetry(activity, scope);
    }

    private sealed class GrantTelemetry(Activity? activity, IDisposable? scope) : IDisposable
    {
        public void Dispose()
        {
            scope?.Dispose();
            activity?.Dispose();
        }
    }
}
