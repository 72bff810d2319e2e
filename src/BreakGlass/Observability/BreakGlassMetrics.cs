using System.Diagnostics.Metrics;

namespace BreakGlass.Observability;

/// <summary>
/// The one <see cref="Meter"/> of BreakGlass and its instruments. Counters and histograms are recorded by the feature
/// that owns the fact, after the fact is committed; gauges are read from the database by <see cref="GaugeRefresher"/>.
/// Prometheus names are the instrument names with dots as underscores, the unit as a suffix (<c>_seconds</c>) and
/// <c>_total</c> on counters: docs/observability.md lists them.
/// </summary>
internal static class BreakGlassMetrics
{
    public const string MeterName = "BreakGlass";

    /// <summary>Label values for a requested role that is not in the policy: user input must not become a label.</summary>
    public const string UnknownRole = "(unknown)";

    private static readonly Meter Meter = new(MeterName);

    // Revocation is measured in seconds (the alert fires at a p99 of 5 s); a stuck one shows in the top buckets.
    private static readonly double[] RevocationLagBuckets = [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120, 300, 900];

    // Evidence waits for CloudTrail's delivery delay (~15 min) and a final pass (~1 h) by design.
    private static readonly double[] EvidenceDelayBuckets = [60, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 14400, 43200, 86400];

    private static readonly Counter<long> GrantsIssued = Meter.CreateCounter<long>(
        "breakglass.grants.issued", description: "Grants whose credentials were issued (committed as Active), by role.");

    private static readonly Counter<long> GrantsRefused = Meter.CreateCounter<long>(
        "breakglass.grants.refused", description: "Requests to break glass that were refused, by role and reason.");

    private static readonly Histogram<double> RevocationLag = Meter.CreateHistogram(
        "breakglass.revocation.lag", "s", "Time from a grant's end (its expiresAt, or the early end) until its deny was verified in IAM.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RevocationLagBuckets });

    private static readonly Counter<long> RevocationFailures = Meter.CreateCounter<long>(
        "breakglass.revocation.failures", description: "Failed attempts to put a grant's deny in place, by role.");

    private static readonly Counter<long> DenyDrift = Meter.CreateCounter<long>(
        "breakglass.deny.drift", description: "Role denies found deleted or edited in IAM and put back, by finding.");

    private static readonly Histogram<double> EvidenceDelay = Meter.CreateHistogram(
        "breakglass.evidence.delay", "s", "Time from a grant's end until its evidence became partial (first pass) or complete (final pass).",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = EvidenceDelayBuckets });

    private static readonly Counter<long> CloudTrailThrottles = Meter.CreateCounter<long>(
        "breakglass.cloudtrail.throttles", description: "LookupEvents requests CloudTrail answered with throttling (each is retried with backoff).");

    public static void GrantIssued(string role) => GrantsIssued.Add(1, new KeyValuePair<string, object?>("role", role));

    /// <param name="role">A role of the policy, or <see cref="UnknownRole"/>.</param>
    /// <param name="reason">One of <see cref="RefusalReasons"/>.</param>
    public static void GrantRefused(string role, string reason) =>
        GrantsRefused.Add(1, new KeyValuePair<string, object?>("role", role), new KeyValuePair<string, object?>("reason", reason));

    public static void RevocationVerified(string role, TimeSpan lag) =>
        RevocationLag.Record(Math.Max(0, lag.TotalSeconds), new KeyValuePair<string, object?>("role", role));

    public static void RevocationFailed(string role) => RevocationFailures.Add(1, new KeyValuePair<string, object?>("role", role));

    public static void DenyDriftRepaired(string finding) => DenyDrift.Add(1, new KeyValuePair<string, object?>("finding", finding));

    public static void EvidenceRecorded(string completeness, TimeSpan sinceGrantEnded) =>
        EvidenceDelay.Record(Math.Max(0, sinceGrantEnded.TotalSeconds), new KeyValuePair<string, object?>("completeness", completeness));

    public static void CloudTrailThrottled() => CloudTrailThrottles.Add(1);

    /// <summary>The <c>reason</c> label of <c>breakglass_grants_refused_total</c>.</summary>
    public static class RefusalReasons
    {
        public const string NotEligible = "not-eligible";
        public const string InvalidRequest = "invalid-request";
        public const string RoleUnavailable = "role-unavailable";
        public const string TicketNotFound = "ticket-not-found";
        public const string OpenGrantLimit = "open-grant-limit";
    }

    /// <summary>Creates the observable gauges once; each reports what the last refresh read.</summary>
    internal static void ObserveGauges(GaugeReadings readings)
    {
        foreach (var gauge in Gauges.All)
        {
            Meter.CreateObservableGauge(gauge.Name, () => readings.Of(gauge.Name), gauge.Unit, gauge.Description);
        }
    }
}
