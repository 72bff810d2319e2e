using BreakGlass.DevIssuer;

namespace BreakGlass.Tests.Infrastructure;

/// <summary>A throwaway IdP for one service under test: its JWKS file and the tokens it signs.</summary>
internal sealed class TestIdentityProvider
{
    public const string Issuer = "https://idp.test.breakglass.local/";
    public const string Audience = "breakglass-api";
    public const string RequesterGroup = "oncall-engineers";
    public const string ReviewerGroup = "security-reviewers";
    public const string AuditorGroup = "auditors";

    private readonly DevTokenIssuer _issuer;

    public TestIdentityProvider()
    {
        Directory = Path.Combine(Path.GetTempPath(), "breakglass-idp-" + Guid.NewGuid().ToString("N"));
        _issuer = DevTokenIssuer.Create(Directory);
    }

    public string Directory { get; }

    public string JwksFile => Path.Combine(Directory, DevTokenIssuer.PublicKeysFileName);

    public string Token(string email, params string[] groups) => _issuer.Mint(Issuer, Audience, email, groups, TimeSpan.FromHours(1));

    public string Requester(string email) => Token(email, RequesterGroup);

    public string Reviewer(string email) => Token(email, ReviewerGroup);

    public string Auditor(string email) => Token(email, AuditorGroup);

    public DevTokenIssuer Signer => _issuer;

    /// <summary>The stable id BreakGlass knows <paramref name="email"/> by (the token's <c>sub</c>, not the email).</summary>
    public static string SubjectOf(string email) => DevTokenIssuer.SubjectFor(email);

    /// <summary>A token with exactly these claims (e.g. one engineer's email beside another subject).</summary>
    public string TokenWithClaims(IDictionary<string, object> claims) => _issuer.Mint(Issuer, Audience, claims, TimeSpan.FromHours(1));

    /// <summary>A unique user per test, so tests never share data.</summary>
    public static string NewUser(string name = "engineer") => $"{name}-{Guid.NewGuid().ToString("N")[..8]}@example.com";
}
