using BreakGlass.Auth;
using BreakGlass.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace BreakGlass.Web;

/// <summary>The pages for people (engineer, reviewer, auditor), server-rendered; on when <c>Auth:Web:ClientId</c> is set.</summary>
internal static class WebSetup
{
    public static IServiceCollection AddWebPages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Auth:Web is validated with the rest of Auth (a client id needs Auth:Authority).
        if (string.IsNullOrWhiteSpace(configuration[$"{AuthOptions.Section}:Web:ClientId"])) return services;

        services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Web/Pages";
            pages.Conventions.AuthorizeFolder("/", WebPolicies.SignedIn);
            pages.Conventions.AuthorizePage("/BreakGlass", WebPolicies.Requester);
            pages.Conventions.AuthorizePage("/Reviews", WebPolicies.Reviewer);
            pages.Conventions.AuthorizePage("/Grant", WebPolicies.EvidenceReaders);
            pages.Conventions.AuthorizePage("/Audit", WebPolicies.Auditor);
            pages.Conventions.AllowAnonymousToPage("/Status");
            pages.Conventions.AllowAnonymousToPage("/SignedOut");
        });
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "breakglass-antiforgery";
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddWebSignIn();
        services.AddAuthorizationBuilder().AddWebPolicies();
        services.AddHttpClient<ConsoleSignIn>(http => http.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    private static bool Enabled(IServiceProvider services) =>
        !string.IsNullOrWhiteSpace(services.GetRequiredService<IOptions<AuthOptions>>().Value.Web.ClientId);

    /// <summary>Whether a failure of this request is shown by the pages' error page rather than as a problem document.</summary>
    public static bool HandlesErrorsOf(HttpContext context) => Enabled(context.RequestServices) && WebPaths.IsPage(context.Request);

    /// <summary>Before authentication: static files, then for pages the security headers and the error and status pages.</summary>
    public static void UseWebPages(this WebApplication app)
    {
        if (!Enabled(app.Services)) return;
        app.UseStaticFiles();
        app.UseWhen(context => WebPaths.IsPage(context.Request), page => page
            .UsePageSecurityHeaders()
            .UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = "/status",
                StatusCodeSelector = failure => ProblemSetup.Describe(failure).Status,
            })
            .UseStatusCodePagesWithReExecute("/status/{0}"));
    }

    public static void MapWebPages(this WebApplication app)
    {
        if (!Enabled(app.Services)) return;
        app.MapRazorPages();
    }
}
