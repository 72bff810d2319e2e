namespace BreakGlass.Aws.CloudTrail;

/// <summary>
/// Admits one request at a time at the rate AWS allows. CloudTrail's LookupEvents limit is per account
/// and region, so every caller sharing those must share one gate (across processes, a database-backed one).
/// </summary>
internal interface IRequestRateGate
{
    ValueTask WaitAsync(CancellationToken cancellationToken);
}
