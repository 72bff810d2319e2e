using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Auth;

internal sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>OIDC issuer whose discovery document gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>A static JWKS file, instead of <see cref="Authority"/>.</summary>
    public string? SigningKeysFile { get; set; }

    [Required] public string Issuer { get; set; } = "";
    [Required] public string Audience { get; set; } = "";
    /// <summary>The caller's identity for ownership and separation of duties: a claim the user cannot edit.</summary>
    [Required] public string UserClaim { get; set; } = "sub";

    /// <summary>How people are shown to people (tickets, responses); never used to decide anything.</summary>
    [Required] public string DisplayNameClaim { get; set; } = "email";

    [Required] public string RoleClaim { get; set; } = "groups";

    /// <summary>An email identifies the caller only once the IdP has verified it (<c>email_verified</c>).</summary>
    public bool UserClaimIsEmail => string.Equals(UserClaim, "email", StringComparison.OrdinalIgnoreCase);
    public GroupMapping Groups { get; set; } = new();

    /// <summary>The public client the <c>breakglass</c> command line signs in as (published, with its scopes).</summary>
    public CliClient Cli { get; set; } = new();

    /// <summary>The client the web pages sign in as (code + PKCE); its secret is never published or logged.</summary>
    public WebClient Web { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) == string.IsNullOrWhiteSpace(SigningKeysFile))
        {
            yield return new ValidationResult("Set exactly one of Auth:Authority (OIDC discovery) or Auth:SigningKeysFile (a JWKS file).");
        }
        if (!string.IsNullOrWhiteSpace(SigningKeysFile))
        {
            if (SigningKeysProblem(SigningKeysFile) is { } problem) yield return new ValidationResult(problem);
        }
        foreach (var (key, claim) in new[] { ("UserClaim", UserClaim), ("DisplayNameClaim", DisplayNameClaim), ("RoleClaim", RoleClaim) })
        {
            if (claim.StartsWith(AppRoles.DerivedClaimPrefix, StringComparison.OrdinalIgnoreCase))
                yield return new ValidationResult($"Auth:{key} '{claim}' names a claim BreakGlass derives itself; name the IdP's claim.");
        }
        foreach (var problem in ClientProblems()) yield return new ValidationResult(problem);
        if (Groups.Requester.Length + Groups.Reviewer.Length + Groups.Auditor.Length == 0)
        {
            yield return new ValidationResult("Auth:Groups maps no IdP group to any role: nobody could use BreakGlass.");
        }
    }

    private IEnumerable<string> ClientProblems()
    {
        var signInWithoutIdp = string.IsNullOrWhiteSpace(Authority);
        foreach (var (key, clientId) in new[] { ("Cli", Cli.ClientId), ("Web", Web.ClientId) })
        {
            if (string.IsNullOrEmpty(clientId)) continue;
            // People sign in at the IdP discovery names; a static key file names none.
            if (signInWithoutIdp) yield return $"Auth:{key}:ClientId needs Auth:Authority: people sign in at the IdP its discovery document names.";
            if (!IsToken(clientId)) yield return $"Auth:{key}:ClientId must be printable ASCII without spaces.";
        }
        if (Cli.ScopeList.Count == 0 || !Cli.ScopeList.All(IsToken))
        {
            yield return "Auth:Cli:Scopes must be space-separated OAuth scopes (printable ASCII, no quotes or backslashes).";
        }
        if (!string.IsNullOrEmpty(Web.ClientSecret) && string.IsNullOrEmpty(Web.ClientId)) yield return "Auth:Web:ClientSecret is set without Auth:Web:ClientId.";
    }

    // RFC 6749 section 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ); client ids fit it too.
    private static bool IsToken(string value) =>
        value.Length > 0 && value.All(character => character is >= '!' and <= '~' and not '"' and not '\\');

    private static string? SigningKeysProblem(string path)
    {
        if (!File.Exists(path)) return $"Auth:SigningKeysFile '{path}' does not exist.";
        try
        {
            return new Microsoft.IdentityModel.Tokens.JsonWebKeySet(File.ReadAllText(path)).GetSigningKeys().Count == 0
                ? $"Auth:SigningKeysFile '{path}' holds no signing key."
                : null;
        }
        catch (ArgumentException invalid)
        {
            return $"Auth:SigningKeysFile '{path}' is not a JWKS document: {invalid.Message}";
        }
    }

    internal sealed class CliClient
    {
        public string? ClientId { get; set; }

        /// <summary>Space-separated, as in OAuth's own <c>scope</c> parameter.</summary>
        public string Scopes { get; set; } = "openid profile email offline_access";

        public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    internal sealed class WebClient
    {
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
    }

    internal sealed class GroupMapping
    {
        public string[] Requester { get; set; } = [];
        public string[] Reviewer { get; set; } = [];
        public string[] Auditor { get; set; } = [];
    }
}
