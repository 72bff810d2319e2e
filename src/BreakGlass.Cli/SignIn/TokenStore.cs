using System.Text.Json;
using BreakGlass.Cli.Service;

namespace BreakGlass.Cli.SignIn;

/// <summary>What a sign-in left behind for one service: enough to call the API and to refresh silently.</summary>
internal sealed record CachedTokens(
    string Authority, string ClientId, string TokenEndpoint, string AccessToken, string? RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>Tokens per service URL under the config directory, one 0600 file each.</summary>
internal sealed class TokenStore(CliHost host)
{
    public CachedTokens? Read(Uri service)
    {
        var text = PrivateFile.Read(PathFor(service));
        if (text is null) return null;
        try
        {
            return JsonSerializer.Deserialize<CachedTokens>(text, ApiJson.Options);
        }
        catch (JsonException)
        {
            // A damaged cache is a signed-out state, not an error the engineer has to repair by hand.
            return null;
        }
    }

    public void Save(Uri service, CachedTokens tokens) => PrivateFile.Write(PathFor(service), JsonSerializer.Serialize(tokens, ApiJson.Options));

    public bool Forget(Uri service)
    {
        var path = PathFor(service);
        var existed = File.Exists(path);
        PrivateFile.Delete(path);
        return existed;
    }

    public string PathFor(Uri service) => Path.Combine(host.ConfigDirectory, "tokens", ServiceTarget.Key(service) + ".json");
}
