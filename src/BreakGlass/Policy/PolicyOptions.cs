using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace BreakGlass.Policy;

/// <summary>The eligibility policy: which groups may break glass into which role, for how long.</summary>
internal sealed partial class PolicyOptions : IValidatableObject
{
    /// <summary>No role's window may exceed this (4 hours) unless an operator deliberately raises it (<c>Policy:WindowCeilingMinutes</c>).</summary>
    public int WindowCeilingMinutes { get; set; } = 240;

    /// <summary>How many grants one requester may hold open on one role at once (<c>Policy:MaxOpenGrantsPerRequester</c>).</summary>
    public int MaxOpenGrantsPerRequester { get; set; } = 2;

    public List<BreakGlassRole> Roles { get; set; } = [];

    public BreakGlassRole? Find(string name) =>
        Roles.FirstOrDefault(role => string.Equals(role.Name, name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Roles.Count == 0)
        {
            yield return new ValidationResult("Roles is empty: configure at least one role (Roles:0:Name, Roles:0:RoleArn, Roles:0:AllowedGroups).");
        }
        if (MaxOpenGrantsPerRequester < 1)
        {
            yield return new ValidationResult("Policy:MaxOpenGrantsPerRequester must be at least 1.");
        }
        foreach (var duplicate in Roles.GroupBy(role => role.Name, StringComparer.OrdinalIgnoreCase).Where(group => group.Count() > 1))
        {
            yield return new ValidationResult($"Roles: the name '{duplicate.Key}' is used more than once.");
        }
        for (var index = 0; index < Roles.Count; index++)
        {
            var role = Roles[index];
            if (!RoleNamePattern().IsMatch(role.Name))
                yield return new ValidationResult($"Roles:{index}:Name '{role.Name}' must be 1-64 letters, digits, '-' or '_'.");
            if (!RoleArnPattern().IsMatch(role.RoleArn))
                yield return new ValidationResult($"Roles:{index}:RoleArn '{role.RoleArn}' is not an IAM role ARN in the aws partition (arn:aws:iam::<account>:role/<name>); other partitions are not supported.");
            if (role.MaxDurationMinutes < 1 || role.MaxDurationMinutes > WindowCeilingMinutes)
                yield return new ValidationResult($"Roles:{index}:MaxDurationMinutes must be between 1 and {WindowCeilingMinutes} (Policy:WindowCeilingMinutes).");
            if (role.AllowedGroups.Length == 0)
                yield return new ValidationResult($"Roles:{index}:AllowedGroups is empty: nobody could break glass into '{role.Name}'.");
            if (role.MaxSessionSeconds is < 900 or > 43200)
                yield return new ValidationResult($"Roles:{index}:MaxSessionSeconds must be between 900 and 43200, as in IAM.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex(@"^arn:aws:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")]
    private static partial Regex RoleArnPattern();
}
