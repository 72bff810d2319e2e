using Microsoft.Extensions.Options;

namespace BreakGlass.Tickets.Linear;

internal sealed class LinearOptionsValidator : IValidateOptions<LinearOptions>
{
    public ValidateOptionsResult Validate(string? name, LinearOptions options)
    {
        var failures = new List<string>();
        if (!options.ApiUrl.IsAbsoluteUri || (options.ApiUrl.Scheme != Uri.UriSchemeHttps && !options.ApiUrl.IsLoopback))
            failures.Add("Linear:ApiUrl must be an absolute https URL (http only for a loopback address).");
        if (string.IsNullOrWhiteSpace(options.ApiKey) != string.IsNullOrWhiteSpace(options.TeamId))
            failures.Add("Linear:ApiKey and Linear:TeamId must be set together (or both left out to run without Linear).");
        if (options.ApiKey is { } key && key.Any(char.IsControl))
            failures.Add("Linear:ApiKey contains control characters (a pasted line break?).");
        if (options.Labels.Any(string.IsNullOrWhiteSpace))
            failures.Add("Linear:Labels must not contain empty names.");
        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(2))
            failures.Add("Linear:RequestTimeout must be between 0 and 2 minutes.");
        if (options.RequestBudgetMilliseconds is < 0 or > 30_000)
            failures.Add("Linear:RequestBudgetMilliseconds must be between 0 and 30000 (an engineer is waiting).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
