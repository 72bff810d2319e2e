using System.Globalization;
using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.Credentials;

/// <summary>Working credentials of the caller's open grant on a role, and when that grant ends.</summary>
internal sealed record GrantSession(Guid GrantId, string Role, DateTimeOffset GrantExpiresAt, AwsCredentials Credentials);

/// <summary>The caller's open grant on a role and working credentials for it: cached, or freshly minted by the service.</summary>
internal sealed class GrantCredentials(Invocation invocation, BreakGlassApi api)
{
    private readonly CredentialCache _cache = new(invocation.Host, api.Service);

    public async Task<GrantSession> GetAsync(string role, CancellationToken cancellationToken)
    {
        var time = invocation.Host.Time;
        var cached = _cache.Read(role);
        GrantView? grant;
        try
        {
            grant = await FindGrantAsync(role, cached, cancellationToken);
        }
        catch (CliException unreachable) when (unreachable.ExitCode == ExitCode.ServiceUnavailable && CredentialRenewal.MayServeWhileServiceIsDown(cached, time))
        {
            await invocation.Host.Error.WriteLineAsync($"breakglass: {unreachable.Message} Serving the cached credentials of grant {cached!.GrantId}.");
            return new GrantSession(cached.GrantId, cached.Role, cached.GrantExpiresAt, cached.Credentials!);
        }
        if (grant is null)
        {
            throw new CliException(ExitCode.NotFound,
                $"You have no open break-glass grant on {role}: run `breakglass request {role} --for 1h --reason \"...\"`.");
        }
        switch (CredentialRenewal.Decide(grant, cached, time))
        {
            case CredentialAction.UseCached:
                return new GrantSession(grant.Id, grant.Role, grant.ExpiresAt, cached!.Credentials!);
            case CredentialAction.MintFresh:
                var minted = await api.FreshCredentialsAsync(grant.Id, cancellationToken);
                var credentials = minted.Credentials ?? throw new CliException(ExitCode.GrantEnded, $"BreakGlass sent no credentials for grant {grant.Id}.");
                _cache.Save(minted, credentials);
                return new GrantSession(minted.Id, minted.Role, minted.ExpiresAt, credentials);
            default:
                _cache.Forget(grant);
                throw new CliException(ExitCode.GrantEnded, EndedSentence(grant));
        }
    }

    /// <summary>The cached grant while it is open; else the newest open grant on the role; else the newest one that ended.</summary>
    private async Task<GrantView?> FindGrantAsync(string role, CachedCredentials? cached, CancellationToken cancellationToken)
    {
        var now = invocation.Now;
        GrantView? known = null;
        if (cached is not null)
        {
            try
            {
                known = await api.GrantAsync(cached.GrantId, cancellationToken);
                if (known.IsOpenAt(now)) return known;
            }
            catch (CliException gone) when (gone.ExitCode == ExitCode.NotFound)
            {
            }
        }
        var onRole = (await api.GrantsAsync(100, cancellationToken))
            .Where(grant => string.Equals(grant.Role, role, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(grant => grant.RequestedAt)
            .ToList();
        return onRole.FirstOrDefault(grant => grant.IsOpenAt(now)) ?? known ?? onRole.FirstOrDefault();
    }

    public static string EndedSentence(GrantView grant)
    {
        var endedAt = (grant.EndedAt ?? grant.ExpiresAt).ToLocalTime().ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture);
        return $"Your break-glass grant {grant.Id} on {grant.Role} ended at {endedAt} ({grant.Status}), so it gives no more credentials; " +
               $"break glass again with `breakglass request {grant.Role} --for 1h --reason \"...\"`.";
    }
}
