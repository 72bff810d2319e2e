using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace BreakGlass.DevIssuer.Provider;

/// <summary>What a token says about a development user: the claims a company IdP would send BreakGlass.</summary>
internal static class ProviderClaims
{
    public const string Groups = "groups";

    public static ClaimsPrincipal For(DevUser user, IEnumerable<string> scopes, string audience)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, true)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.PreferredUsername, user.Email)
            .SetClaims(Groups, [.. user.Groups]);
        identity.SetScopes(scopes);
        identity.SetResources(audience);
        // Everything is about the user and nothing is secret: both the API (access token) and the client (id token) see it.
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return new ClaimsPrincipal(identity);
    }
}
