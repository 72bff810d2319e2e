using BreakGlass.Grants;
using Npgsql;

namespace BreakGlass.WrittenPolicy;

/// <summary>
/// Where a grant stands against the policy it was issued under. <see cref="UnapprovedAtIssue"/> flags a grant whose
/// policy version had no approval when the grant was requested — whether it was approved later
/// (<c>approved-after-issue</c>), is still not (<c>unapproved</c>), or the grant predates policy versions (<c>unversioned</c>).
/// </summary>
internal sealed record PolicyStanding(string? Version, string Status, string? ApprovedBy, DateTimeOffset? ApprovedAt, bool UnapprovedAtIssue)
{
    public const string Approved = "approved";
    public const string ApprovedAfterIssue = "approved-after-issue";
    public const string Unapproved = "unapproved";
    public const string Unversioned = "unversioned";

    public static async Task<IReadOnlyDictionary<Guid, PolicyStanding>> ForAsync(NpgsqlConnection connection, IReadOnlyCollection<GrantResponse> grants)
    {
        var versions = grants.Select(grant => grant.PolicyVersion).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        var approvals = await PolicyVersionStore.ApprovalsAsync(connection, versions);
        return grants.ToDictionary(grant => grant.Id, grant => Of(grant, approvals));
    }

    private static PolicyStanding Of(GrantResponse grant, IReadOnlyDictionary<string, (DateTimeOffset ApprovedAt, string ApprovedByName)> approvals)
    {
        if (grant.PolicyVersion is not { } version) return new PolicyStanding(null, Unversioned, null, null, UnapprovedAtIssue: true);
        if (!approvals.TryGetValue(version, out var approval)) return new PolicyStanding(version, Unapproved, null, null, UnapprovedAtIssue: true);
        var inTime = approval.ApprovedAt <= grant.RequestedAt;
        return new PolicyStanding(version, inTime ? Approved : ApprovedAfterIssue, approval.ApprovedByName, approval.ApprovedAt, UnapprovedAtIssue: !inTime);
    }
}
