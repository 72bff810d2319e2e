using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BreakGlass.DevIssuer;

/// <summary>
/// LOCAL DEVELOPMENT ONLY: a throwaway RSA key pair and tokens signed with it, standing in for a company IdP in the
/// quick start and the tests. BreakGlass validates these like any IdP's tokens (a JWKS file, or the development
/// provider's discovery document, which publishes the same key); there is no bypass.
/// </summary>
public sealed class DevTokenIssuer
{
    public const string PrivateKeyFileName = "dev-signing-key.json";
    public const string PublicKeysFileName = "jwks.json";

    private readonly JsonWebKey _signingKey;

    private DevTokenIssuer(JsonWebKey signingKey, string directory)
    {
        _signingKey = signingKey;
        Directory = directory;
    }

    /// <summary>Where the key pair lives (<see cref="PublicKeysFileName"/> is what BreakGlass trusts).</summary>
    public string Directory { get; }

    /// <summary>Creates a key pair in <paramref name="directory"/> (the private key readable by the owner only).</summary>
    public static DevTokenIssuer Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        using var rsa = RSA.Create(2048);
        var privateKey = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(includePrivateParameters: true)));
        privateKey.Kid = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        privateKey.Use = "sig";
        privateKey.Alg = SecurityAlgorithms.RsaSha256;
        var privatePath = Path.Combine(directory, PrivateKeyFileName);
        File.WriteAllText(privatePath, JsonSerializer.Serialize(privateKey));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var publicKey = new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = privateKey.Kid, n = privateKey.N, e = privateKey.E } } };
        File.WriteAllText(Path.Combine(directory, PublicKeysFileName), JsonSerializer.Serialize(publicKey));
        return new DevTokenIssuer(privateKey, directory);
    }

    public static DevTokenIssuer Load(string directory) =>
        new(new JsonWebKey(File.ReadAllText(Path.Combine(directory, PrivateKeyFileName))), directory);

    /// <summary>The key pair in <paramref name="directory"/>, made on first use: a restarted provider keeps its tokens valid.</summary>
    public static DevTokenIssuer LoadOrCreate(string directory) =>
        File.Exists(Path.Combine(directory, PrivateKeyFileName)) ? Load(directory) : Create(directory);

    /// <summary>The private key as an RSA key (what the OpenID provider signs with), carrying the same key id.</summary>
    public RsaSecurityKey SigningKey => new(new RSAParameters
    {
        Modulus = Base64UrlEncoder.DecodeBytes(_signingKey.N),
        Exponent = Base64UrlEncoder.DecodeBytes(_signingKey.E),
        D = Base64UrlEncoder.DecodeBytes(_signingKey.D),
        P = Base64UrlEncoder.DecodeBytes(_signingKey.P),
        Q = Base64UrlEncoder.DecodeBytes(_signingKey.Q),
        DP = Base64UrlEncoder.DecodeBytes(_signingKey.DP),
        DQ = Base64UrlEncoder.DecodeBytes(_signingKey.DQ),
        InverseQ = Base64UrlEncoder.DecodeBytes(_signingKey.QI),
    }) { KeyId = _signingKey.Kid };

    /// <summary>
    /// A token for <paramref name="email"/> (verified), with the stable subject <see cref="SubjectFor"/>: like a real
    /// IdP, the identity BreakGlass keys on is an id the user cannot edit, not their address. An empty email gives a
    /// token that identifies nobody.
    /// </summary>
    public string Mint(string issuer, string audience, string email, IEnumerable<string> groups, TimeSpan lifetime, DateTime? now = null)
    {
        var claims = new Dictionary<string, object> { ["groups"] = groups.ToArray() };
        if (email.Length > 0)
        {
            claims["sub"] = SubjectFor(email);
            claims["email"] = email;
            claims["email_verified"] = true;
        }
        return Mint(issuer, audience, claims, lifetime, now);
    }

    /// <summary>A token carrying exactly <paramref name="claims"/> (besides iss, aud and the times).</summary>
    public string Mint(string issuer, string audience, IDictionary<string, object> claims, TimeSpan lifetime, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>The development IdP's subject for an email: stable across tokens and runs, and not the email itself.</summary>
    public static string SubjectFor(string email) =>
        "dev-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..20];
}
