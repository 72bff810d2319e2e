using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BreakGlass.Auth;

internal static class AuthSetup
{
    // Asymmetric algorithms only: a shared-secret HS256 token or "alg: none" must never authenticate.
    private static readonly string[] AllowedAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    public static IServiceCollection AddBreakGlassAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SigningKeysFile>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, SigningKeysFile>((bearer, auth, keys) => Configure(bearer, auth.Value, keys));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuthProblems>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AppRoles.Requester, policy => policy.RequireClaim(AppRoles.ClaimType, AppRoles.Requester))
            .AddPolicy(AppRoles.Reviewer, policy => policy.RequireClaim(AppRoles.ClaimType, AppRoles.Reviewer))
            .AddPolicy(AppRoles.Auditor, policy => policy.RequireClaim(AppRoles.ClaimType, AppRoles.Auditor))
            .AddPolicy(GrantReaders, policy => policy.RequireClaim(AppRoles.ClaimType, AppRoles.Requester, AppRoles.Reviewer, AppRoles.Auditor))
            .AddPolicy(EvidenceReaders, policy => policy.RequireClaim(AppRoles.ClaimType, AppRoles.Reviewer, AppRoles.Auditor))
            .AddPolicy(GrantEnders, policy => policy.RequireClaim(AppRoles.ClaimType, AppRoles.Requester, AppRoles.Reviewer));
        return services;
    }

    public const string GrantReaders = "grant-readers";
    public const string EvidenceReaders = "evidence-readers";
    public const string GrantEnders = "grant-enders";

    private static void Configure(JwtBearerOptions bearer, AuthOptions auth, SigningKeysFile keysFile)
    {
        bearer.MapInboundClaims = false;
        bearer.IncludeErrorDetails = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = AllowedAlgorithms,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = AppRoles.UserClaimType,
            RoleClaimType = AppRoles.ClaimType,
        };
        if (!string.IsNullOrWhiteSpace(auth.SigningKeysFile))
        {
            bearer.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => keysFile.Keys;
        }
        else
        {
            bearer.Authority = auth.Authority;
            bearer.RequireHttpsMetadata = !IsLoopback(auth.Authority!);
        }
        bearer.Events = new JwtBearerEvents { OnTokenValidated = context => MapIdentity(context, auth) };
    }

    private static Task MapIdentity(TokenValidatedContext context, AuthOptions auth)
    {
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        // Roles and identity are BreakGlass's own conclusions: whatever the token says under those names is dropped.
        foreach (var forged in identity.Claims.Where(claim => claim.Type.StartsWith(AppRoles.DerivedClaimPrefix, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            identity.RemoveClaim(forged);
        }
        if (Refusal(identity, auth) is { } refusal)
        {
            context.Fail(refusal);
            return Task.CompletedTask;
        }
        var user = identity.FindFirst(auth.UserClaim)!.Value;
        // An email is case-insensitive; a subject is an opaque, case-sensitive id and is kept exactly.
        user = auth.UserClaimIsEmail ? user.Trim().ToLowerInvariant() : user;
        identity.AddClaim(new Claim(AppRoles.UserClaimType, user));
        var displayName = identity.FindFirst(auth.DisplayNameClaim)?.Value;
        identity.AddClaim(new Claim(AppRoles.DisplayNameClaimType, IsUsable(displayName) ? displayName!.Trim() : user));
        var groups = identity.FindAll(auth.RoleClaim).Select(claim => claim.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var (role, mapped) in new[]
                 {
                     (AppRoles.Requester, auth.Groups.Requester),
                     (AppRoles.Reviewer, auth.Groups.Reviewer),
                     (AppRoles.Auditor, auth.Groups.Auditor),
                 })
        {
            if (mapped.Any(groups.Contains)) identity.AddClaim(new Claim(AppRoles.ClaimType, role));
        }
        return Task.CompletedTask;
    }

    private static string? Refusal(ClaimsIdentity identity, AuthOptions auth)
    {
        var users = identity.FindAll(auth.UserClaim).ToList();
        if (users.Count != 1 || !IsUsable(users[0].Value))
        {
            return $"the token needs exactly one '{auth.UserClaim}' claim of 1-{MaxIdentityLength} printable characters to identify the caller";
        }
        // Anyone can put any address in an IdP profile; only a verified one may stand for a person.
        if (auth.UserClaimIsEmail && !string.Equals(identity.FindFirst("email_verified")?.Value, "true", StringComparison.OrdinalIgnoreCase))
        {
            return "Auth:UserClaim is 'email' and the token's email is not verified (email_verified is not true)";
        }
        return null;
    }

    private const int MaxIdentityLength = 256;

    private static bool IsUsable(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxIdentityLength && !value.Any(char.IsControl);

    private static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
