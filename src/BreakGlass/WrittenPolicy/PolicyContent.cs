using System.Text.Json;
using System.Text.Json.Nodes;

namespace BreakGlass.WrittenPolicy;

/// <summary>
/// What the break-glass policy says, taken from the running configuration: only what decides who may break glass,
/// for how long, and what happens around it. Secrets, ports and addresses irrelevant to the policy are left out, so
/// its canonical JSON (and the version hashed from it) changes exactly when the policy does.
/// </summary>
internal sealed record PolicyContent(
    IReadOnlyList<PolicyRole> Roles,
    PolicyAccess Access,
    PolicyLimits Limits,
    PolicyTickets Tickets,
    PolicyRevocation Revocation,
    PolicyEvidence Evidence,
    PolicyReview Review,
    IReadOnlyList<PolicyAccount> Accounts,
    JsonObject Notifications,
    PolicyDrills Drills);

/// <param name="Account">The AWS account the role is in (from its ARN).</param>
internal sealed record PolicyRole(
    string Name, string RoleArn, string Account, int MaxDurationMinutes, int MaxSessionSeconds, IReadOnlyList<string> AllowedGroups, bool RequireTicket);

/// <summary>Which IdP groups hold BreakGlass's own roles, and the claim that carries them.</summary>
internal sealed record PolicyAccess(string GroupClaim, IReadOnlyList<string> Requesters, IReadOnlyList<string> Reviewers, IReadOnlyList<string> Auditors);

internal sealed record PolicyLimits(int WindowCeilingMinutes, int MaxOpenGrantsPerRequester);

/// <param name="LinearTeamId">Where tickets are filed; null when Linear is not configured (tickets stay pending).</param>
internal sealed record PolicyTickets(bool LinearConfigured, string? LinearTeamId, IReadOnlyList<string> Labels);

internal sealed record PolicyRevocation(int SweepIntervalSeconds, int VerifySeconds, int AlertAfterAttempts);

/// <param name="S3Bucket">The trail's bucket read as a second source, or null.</param>
internal sealed record PolicyEvidence(int DeliveryDelaySeconds, int FinalPassDelaySeconds, string? S3Bucket);

/// <param name="ReminderWebhook">Only the origin (scheme, host, port) of <c>Review:WebhookUrl</c>: paths and queries may carry secrets.</param>
internal sealed record PolicyReview(int DueAfterHours, int FinalPassGraceMinutes, string ReminderCron, string? ReminderWebhook);

internal sealed record PolicyAccount(string Id, string AgentRoleArn);

/// <param name="Role">The role drills break glass into (<c>Drills:Role</c>), or null when drills are not configured.</param>
internal sealed record PolicyDrills(string? Role, string? Schedule);

internal static class PolicyContentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
