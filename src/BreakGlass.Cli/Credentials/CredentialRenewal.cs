using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.Credentials;

internal enum CredentialAction
{
    /// <summary>The cached credentials belong to the open grant and have more than five minutes left.</summary>
    UseCached,
    /// <summary>The grant is open but nothing usable is cached: ask the service to mint fresh ones.</summary>
    MintFresh,
    /// <summary>The grant is no longer open: no credentials, whatever STS would still honour.</summary>
    GrantEnded,
}

/// <summary>
/// When to serve from the cache and when to re-mint. STS credentials may be shorter than the grant (a role whose
/// maximum session is an hour, a broker that is itself a role session): renewing them shortly before they expire,
/// while the grant is open, serves the whole window.
/// </summary>
internal static class CredentialRenewal
{
    public static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(5);

    public static CredentialAction Decide(GrantView grant, CachedCredentials? cached, TimeProvider time)
    {
        var now = time.GetUtcNow();
        if (!grant.IsOpenAt(now)) return CredentialAction.GrantEnded;
        return cached is { Credentials: { } credentials } && cached.GrantId == grant.Id && credentials.Expiration - now > RenewBefore
            ? CredentialAction.UseCached
            : CredentialAction.MintFresh;
    }

    /// <summary>
    /// The service cannot be reached: cached credentials of a grant whose window is still open keep working (an outage
    /// of BreakGlass must not take away access already given; AWS still enforces the deny if the grant was ended).
    /// </summary>
    public static bool MayServeWhileServiceIsDown(CachedCredentials? cached, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return cached is { Credentials: { } credentials } && cached.GrantExpiresAt > now && credentials.Expiration - now > RenewBefore;
    }
}
