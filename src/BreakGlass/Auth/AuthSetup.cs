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
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((bearer, auth) => Configure(bearer, auth.Value));
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

    private static void Configure(JwtBearerOptions bearer, AuthOptions auth)
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
            bearer.TokenValidationParameters.IssuerSigningKeys = new JsonWebKeySet(File.ReadAllText(auth.SigningKeysFile)).GetSigningKeys();
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
        var user = identity.FindFirst(auth.UserClaim)?.Value;
        if (string.IsNullOrWhiteSpace(user))
        {
            context.Fail($"the token has no '{auth.UserClaim}' claim to identify the caller");
            return Task.CompletedTask;
        }
        identity.AddClaim(new Claim(AppRoles.UserClaimType, user.Trim().ToLowerInvariant()));
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

    private static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
