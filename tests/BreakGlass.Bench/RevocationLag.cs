using System.Net;
using BreakGlass.Tests.Grants;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Bench;

/// <summary>
/// For N one-minute grants, each on a role of its own (moto ignores policy conditions, so one role per grant keeps the
/// measurements independent): the time from expiresAt until a signed S3 call with the session's credentials is refused.
/// </summary>
internal static class RevocationLag
{
    public static async Task RunAsync(BreakGlassFixture fixture, int grants)
    {
        var sessions = new List<(DateTimeOffset ExpiresAt, EngineerSession Session)>();
        for (var index = 0; index < grants; index++)
        {
            using var client = fixture.Client(fixture.Idp.Requester(TestIdentityProvider.NewUser("lag")));
            var created = await (await client.BreakGlassAsync(fixture.TakeDedicatedRole(), minutes: 1)).ReadObjectAsync(HttpStatusCode.Created);
            sessions.Add((DateTimeOffset.Parse((string)created["expiresAt"]!), new EngineerSession(fixture.Moto, created["credentials"]!)));
            // Spread the expiries so the probes do not all fire in the same instant.
            await Task.Delay(TimeSpan.FromMilliseconds(1500));
        }
        var lags = await Task.WhenAll(sessions.Select(async entry =>
        {
            var wait = entry.ExpiresAt - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(3);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var refusedAt = await entry.Session.WaitUntilRefusedAsync(TimeSpan.FromSeconds(90))
                            ?? throw new InvalidOperationException("a session was never refused");
            entry.Session.Dispose();
            return (refusedAt - entry.ExpiresAt).TotalSeconds;
        }));
        Console.WriteLine($"revocation lag       n={lags.Length} median {Statistics.Percentile(lags, 50):F2} s, max {lags.Max():F2} s, " +
                          $"min {lags.Min():F2} s (probe every 100 ms; negative = refused before expiresAt)");
    }
}
