using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BreakGlass.Auth;

/// <summary>
/// The keys of <c>Auth:SigningKeysFile</c>, re-read whenever the file changes, so an IdP key rotation needs no
/// restart. A stat per token is cheap and, unlike a file watcher, sees a replaced file on every file system.
/// A file that turns unreadable or empty keeps the last good keys (and says so in the log) rather than
/// locking everyone out at 3 AM; start-up validation still refuses such a file.
/// </summary>
internal sealed class SigningKeysFile(IOptions<AuthOptions> options, ILogger<SigningKeysFile> logger)
{
    private readonly Lock _gate = new();
    private (DateTime WrittenAt, long Length) _loadedVersion;
    private IReadOnlyList<SecurityKey> _keys = [];

    public IReadOnlyList<SecurityKey> Keys
    {
        get
        {
            var path = options.Value.SigningKeysFile!;
            var file = new FileInfo(path);
            var version = file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
            lock (_gate)
            {
                if (version == _loadedVersion) return _keys;
                try
                {
                    var keys = new JsonWebKeySet(File.ReadAllText(path)).GetSigningKeys();
                    if (keys.Count == 0) throw new ArgumentException("the file holds no signing key");
                    _keys = keys.ToArray();
                    if (_loadedVersion != default) AuthLog.SigningKeysReloaded(logger, path, keys.Count);
                }
                catch (Exception unusable) when (unusable is IOException or ArgumentException or UnauthorizedAccessException)
                {
                    AuthLog.SigningKeysUnusable(logger, path, unusable.Message);
                }
                _loadedVersion = version;
                return _keys;
            }
        }
    }
}
