using BreakGlass.Policy;
using Microsoft.Extensions.Options;

namespace BreakGlass.Drills;

/// <summary>A drill role must be one of the configured roles, and a schedule needs one: both are found out at start.</summary>
internal sealed class DrillsOptionsValidation(IOptions<PolicyOptions> policy) : IValidateOptions<DrillsOptions>
{
    public ValidateOptionsResult Validate(string? name, DrillsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Role))
        {
            return string.IsNullOrWhiteSpace(options.Schedule)
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail("Drills:Schedule is set but Drills:Role is not: name the drill role (a name from Roles).");
        }
        if (policy.Value.Find(options.Role) is not { } role)
        {
            return ValidateOptionsResult.Fail($"Drills:Role '{options.Role}' is not one of the configured Roles.");
        }
        return options.DurationMinutes > role.MaxDurationMinutes
            ? ValidateOptionsResult.Fail($"Drills:DurationMinutes ({options.DurationMinutes}) is longer than '{role.Name}' allows ({role.MaxDurationMinutes}).")
            : ValidateOptionsResult.Success;
    }
}
