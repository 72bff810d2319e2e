using System.Text.RegularExpressions;
using BreakGlass.Aws.Iam;

namespace BreakGlass.Accounts;

/// <summary>
/// The member accounts (<c>Accounts:N:*</c>). Deliberately not validated on start: one account's mistake must not take
/// down the roles of every other account, so each problem is reported (Critical, naming the roles it affects) and only
/// that account's roles are refused.
/// </summary>
internal sealed partial class AccountsOptions
{
    public const string Section = "Accounts";

    public List<MemberAccount> Accounts { get; set; } = [];

    /// <summary>What is wrong with each account entry, by index; an entry with a problem is not used.</summary>
    public IReadOnlyDictionary<int, string> Problems()
    {
        var problems = new Dictionary<int, string>();
        for (var index = 0; index < Accounts.Count; index++)
        {
            var account = Accounts[index];
            if (!AccountIdPattern().IsMatch(account.Id))
                problems[index] = $"Accounts:{index}:Id '{account.Id}' is not a 12-digit AWS account id.";
            else if (!IsRoleArn(account.AgentRoleArn))
                problems[index] = $"Accounts:{index}:AgentRoleArn '{account.AgentRoleArn}' is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).";
            else if (RoleArn.AccountId(account.AgentRoleArn) != account.Id)
                problems[index] = $"Accounts:{index}:AgentRoleArn '{account.AgentRoleArn}' is not in account {account.Id}: an agent acts only in its own account.";
            else if (Accounts.Take(index).Any(earlier => earlier.Id == account.Id))
                problems[index] = $"Accounts:{index}:Id {account.Id} is configured more than once.";
            else if (account.ExternalId is { } externalId && !ExternalIdPattern().IsMatch(externalId))
                problems[index] = $"Accounts:{index}:ExternalId must be 2-1224 characters of letters, digits and +=,.@:/-, as STS takes it.";
        }
        return problems;
    }

    private static bool IsRoleArn(string value)
    {
        try
        {
            RoleArn.Canonical(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\d{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[\w+=,.@:/-]{2,1224}$")]
    private static partial Regex ExternalIdPattern();
}
