namespace BreakGlass.Web;

/// <summary>
/// <c>Auth:Web</c>: the pages' OIDC client (authorization code + PKCE) at <c>Auth:Authority</c>. Without a client id
/// the service serves the API only.
/// </summary>
internal sealed class WebSignInOptions
{
    public const string Section = "Auth:Web";

    public string? ClientId { get; set; }

    /// <summary>Only for an IdP that insists on a confidential client; PKCE protects the code either way.</summary>
    public string? ClientSecret { get; set; }

    public string[] Scopes { get; set; } = ["openid", "profile", "email"];

    public bool Enabled => !string.IsNullOrWhiteSpace(ClientId);
}
