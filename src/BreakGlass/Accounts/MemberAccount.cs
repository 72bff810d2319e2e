namespace BreakGlass.Accounts;

/// <summary>
/// A member account BreakGlass reaches through an agent role there (<c>Accounts:N:*</c>). The broker's own account
/// needs no entry: BreakGlass acts there as itself.
/// </summary>
internal sealed class MemberAccount
{
    public string Id { get; set; } = "";

    /// <summary>The role BreakGlass assumes in the account to write its deny and read CloudTrail; it trusts only the broker.</summary>
    public string AgentRoleArn { get; set; } = "";

    /// <summary>Sent as <c>sts:ExternalId</c> when the agent role's trust requires one.</summary>
    public string? ExternalId { get; set; }
}
