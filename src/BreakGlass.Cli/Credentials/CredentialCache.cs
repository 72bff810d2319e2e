using System.Text.Json;
using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.Credentials;

/// <summary>
/// The last credentials handed out for one role of one service, and the grant they belong to. <see cref="Credentials"/>
/// is null once the grant was ended here: the grant id stays, so the next call can say the grant ended.
/// </summary>
internal sealed record CachedCredentials(Guid GrantId, string Role, DateTimeOffset GrantExpiresAt, AwsCredentials? Credentials);

/// <summary>One 0600 file per service and role under the config directory.</summary>
internal sealed class CredentialCache(CliHost host, Uri service)
{
    public CachedCredentials? Read(string role)
    {
        var text = PrivateFile.Read(PathFor(role));
        if (text is null) return null;
        try
        {
            return JsonSerializer.Deserialize<CachedCredentials>(text, ApiJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(GrantView grant, AwsCredentials credentials) =>
        Write(new CachedCredentials(grant.Id, grant.Role, grant.ExpiresAt, credentials));

    /// <summary>Drops the secrets of an ended grant but remembers which grant it was.</summary>
    public void Forget(GrantView grant) => Write(new CachedCredentials(grant.Id, grant.Role, grant.ExpiresAt, null));

    public string PathFor(string role) =>
        Path.Combine(host.ConfigDirectory, "credentials", ServiceTarget.Key(service, role.ToLowerInvariant()) + ".json");

    private void Write(CachedCredentials cached) => PrivateFile.Write(PathFor(cached.Role), JsonSerializer.Serialize(cached, ApiJson.Options));
}
