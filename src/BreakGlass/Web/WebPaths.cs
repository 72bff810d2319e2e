namespace BreakGlass.Web;

internal static class WebPaths
{
    private static readonly PathString[] MachinePaths = ["/api", "/openapi", "/healthz", "/readyz", "/.well-known", "/metrics"];

    /// <summary>A request for a page (or a page's download), as opposed to the API and the machine endpoints.</summary>
    public static bool IsPage(HttpRequest request) => !MachinePaths.Any(request.Path.StartsWithSegments);
}
