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
        if (Groups.Requester.Length + Groups.Reviewer.Length + Groups.Auditor.Length == 0)
        {
            yield return new ValidationResult("Auth:Groups maps no IdP group to any role: nobody could use BreakGlass.");
        }
    }

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

    internal sealed class GroupMapping
    {
        public string[] Requester { get; set; } = [];
        public string[] Reviewer { get; set; } = [];
        public string[] Auditor { get; set; } = [];
    }
}
