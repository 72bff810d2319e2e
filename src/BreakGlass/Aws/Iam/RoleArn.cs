namespace BreakGlass.Aws.Iam;

internal static class RoleArn
{
    /// <summary>
    /// The role name IAM's API wants from a role ARN: <c>arn:aws:iam::123456789012:role/path/Name</c> → <c>Name</c>
    /// (a role's path is not part of its name).
    /// </summary>
    public static string RoleName(string roleArn)
    {
        var resource = Parts(roleArn)[5];
        return resource[(resource.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// One spelling per role, for keying what belongs to the role (its deny policy, its lock): IAM role names are
    /// unique per account without regard to case, and the path is not part of the name, so
    /// <c>arn:aws:iam::123456789012:role/ops/BreakGlass</c> and <c>…:role/breakglass</c> are one role with one inline
    /// deny policy. Two keys for it would let one revocation overwrite the other's deny.
    /// </summary>
    public static string Canonical(string roleArn)
    {
        var parts = Parts(roleArn.Trim());
        return $"arn:{parts[1].ToLowerInvariant()}:iam::{parts[4]}:role/{RoleName(roleArn.Trim()).ToLowerInvariant()}";
    }

    /// <summary>The account the role belongs to: <c>arn:aws:iam::123456789012:role/Name</c> → <c>123456789012</c>.</summary>
    public static string AccountId(string roleArn) => Parts(roleArn)[4];

    private static string[] Parts(string roleArn)
    {
        var parts = roleArn.Split(':', 6);
        if (parts is not ["arn", { Length: > 0 }, "iam", "", { Length: > 0 }, var resource]
            || !resource.StartsWith("role/", StringComparison.Ordinal)
            || resource.EndsWith('/'))
        {
            throw new FormatException($"'{roleArn}' is not an IAM role ARN (arn:<partition>:iam::<account>:role/[path/]<name>).");
        }
        return parts;
    }
}
