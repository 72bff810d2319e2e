using System.Text.Json;

namespace BreakGlass.Cli.Service;

/// <summary>The service's RFC 7807 answers as one sentence and an exit code.</summary>
internal static class Problems
{
    public static string Describe(HttpResponseMessage response, string body)
    {
        var problem = TryParse(body);
        return problem switch
        {
            { Title: { Length: > 0 } title, Detail: { Length: > 0 } detail } => $"{title}: {detail}",
            { Title: { Length: > 0 } title } => title,
            { Detail: { Length: > 0 } detail } => detail,
            _ => $"BreakGlass answered {(int)response.StatusCode} {response.ReasonPhrase}.",
        };
    }

    public static ExitCode ExitCodeFor(int status) => status switch
    {
        400 or 413 or 422 => ExitCode.Usage,
        401 => ExitCode.NotSignedIn,
        403 => ExitCode.Refused,
        404 => ExitCode.NotFound,
        409 => ExitCode.GrantEnded,
        502 => ExitCode.AwsFailed,
        429 or >= 500 => ExitCode.ServiceUnavailable,
        _ => ExitCode.Failure,
    };

    private static ProblemView? TryParse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<ProblemView>(text, ApiJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
