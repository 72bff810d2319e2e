using System.Globalization;
using System.Text.Json;
using BreakGlass.Audit;
using BreakGlass.Aws.Iam;
using BreakGlass.Drills;
using BreakGlass.Evidence;
using BreakGlass.Grants;
using BreakGlass.Preflight;
using BreakGlass.Reviews;
using BreakGlass.Revocation;

namespace BreakGlass.Notifications;

/// <summary>Which audit events people are told about, and what they are told: a pure function of the event and its grant.</summary>
internal static class AuditNotifications
{
    private static readonly HashSet<string> Mapped =
    [
        GrantAuditEvents.Issued, RevocationAuditEvents.Revoked, RevocationAuditEvents.Failed, RevocationAuditEvents.DenyDriftRepaired,
        EvidenceAuditEvents.Complete, ReviewDecisions.DecidedEvent, RevocationAuditEvents.RoleRevokedAll, PreflightAuditEvents.Completed,
        DrillAuditEvents.Completed,
    ];

    /// <summary>Whether <paramref name="eventType"/> can cause a notification (checked before reading the grant).</summary>
    public static bool Concerns(string eventType) => Mapped.Contains(eventType);

    /// <param name="grant">The event's grant as its transaction sees it; null for an event about no grant.</param>
    /// <param name="ticket">The grant's ticket, when it has one.</param>
    /// <param name="drill">
    /// The grant is a drill's: drills are not exceptions, so their routine lifecycle stays quiet (a scheduled drill would
    /// otherwise cry "glass broken" every day); a failing revocation or a failed drill is still told.
    /// </param>
    public static NotificationDraft? Map(AuditEvent appended, Grant? grant, TicketView? ticket, bool drill = false)
    {
        if (drill && appended.EventType is GrantAuditEvents.Issued or RevocationAuditEvents.Revoked or EvidenceAuditEvents.Complete or ReviewDecisions.DecidedEvent)
        {
            return null;
        }
        using var document = JsonDocument.Parse(appended.Data);
        var data = document.RootElement;
        var key = $"{appended.EventType}:{appended.Sequence.ToString(CultureInfo.InvariantCulture)}";
        return appended.EventType switch
        {
            GrantAuditEvents.Issued when grant is not null => GlassBroken(key, grant, ticket),
            RevocationAuditEvents.Revoked when grant is not null => Ended(key, grant),
            RevocationAuditEvents.Failed when grant is not null => RevocationFailing(key, grant, data),
            RevocationAuditEvents.DenyDriftRepaired => DenyDrift(appended, data),
            EvidenceAuditEvents.Complete when grant is not null => EvidenceComplete(key, grant, data),
            ReviewDecisions.DecidedEvent when grant is not null => ReviewDecided(key, grant, appended.Actor, data),
            RevocationAuditEvents.RoleRevokedAll => RoleRevokedAll(key, appended.Actor, data),
            PreflightAuditEvents.Completed when Bool(data, "ok") == false => PreflightFailed(key, data),
            DrillAuditEvents.Completed when Bool(data, "passed") == false => DrillFailed(key, appended.GrantId, data),
            _ => null,
        };
    }

    private static NotificationDraft GlassBroken(string key, Grant grant, TicketView? ticket)
    {
        var account = RoleArn.AccountId(grant.RoleArn);
        var ticketName = ticket?.Identifier ?? grant.TicketReference;
        return new(NotificationTypes.GrantIssued, key, NotificationSeverity.Warning,
            $"Glass broken: {grant.RoleName} in {account}",
            $"{grant.RequesterName} broke glass into {grant.RoleName} (account {account}) from {Time(grant.RequestedAt)} until {Time(grant.ExpiresAt)}. Reason: {grant.Reason}",
            grant.Id,
            new Dictionary<string, object?>
            {
                ["requester"] = grant.RequesterName,
                ["role"] = grant.RoleName,
                ["account"] = account,
                ["startsAt"] = grant.RequestedAt,
                ["expiresAt"] = grant.ExpiresAt,
                ["reason"] = grant.Reason,
                ["ticket"] = ticketName,
                ["ticketUrl"] = ticket?.Url,
            });
    }

    private static NotificationDraft Ended(string key, Grant grant)
    {
        // As the ticket says it: the service ends a grant only at its window's end; anyone else ended it early.
        var early = grant.EndedBy != SystemActor.Name;
        var how = early ? $"ended early by {grant.EndedBy}" : "expired";
        return new(NotificationTypes.GrantEnded, key, NotificationSeverity.Info,
            $"Grant ended: {grant.RoleName}",
            $"{grant.RequesterName}'s access to {grant.RoleName} {how}; its sessions are denied. {grant.EndReason}".TrimEnd(),
            grant.Id,
            new Dictionary<string, object?>
            {
                ["requester"] = grant.RequesterName,
                ["role"] = grant.RoleName,
                ["account"] = RoleArn.AccountId(grant.RoleArn),
                ["early"] = early,
                ["endedAt"] = grant.EndedAt,
                ["endedBy"] = grant.EndedBy,
                ["endReason"] = grant.EndReason,
            });
    }

    private static NotificationDraft RevocationFailing(string key, Grant grant, JsonElement data) =>
        new(NotificationTypes.RevocationFailing, key, NotificationSeverity.Critical,
            $"Revocation failing: {grant.RoleName}",
            $"{grant.RequesterName}'s grant on {grant.RoleName} should have ended but its deny could not be written after {Number(data, "attempts")} attempt(s); the sessions may still work. Retries continue.",
            grant.Id,
            new Dictionary<string, object?>
            {
                ["requester"] = grant.RequesterName,
                ["role"] = grant.RoleName,
                ["account"] = RoleArn.AccountId(grant.RoleArn),
                ["attempts"] = Number(data, "attempts"),
                ["error"] = Text(data, "error"),
            });

    // A repair that restores several grants is one audit event per grant: people hear of the repair once.
    private static NotificationDraft DenyDrift(AuditEvent appended, JsonElement data)
    {
        var roleArn = Text(data, "roleArn") ?? "";
        return new(NotificationTypes.DenyDrift, $"{NotificationTypes.DenyDrift}:{roleArn}:{Text(data, "repairedAt")}", NotificationSeverity.Critical,
            $"Deny drift repaired: {RoleArnName(roleArn)}",
            $"The BreakGlass deny on {roleArn} was deleted or edited outside BreakGlass ({Text(data, "finding")}). It was put back; find out who changed it.",
            appended.GrantId,
            new Dictionary<string, object?>
            {
                ["roleArn"] = roleArn,
                ["finding"] = Text(data, "finding"),
                ["restoredGrantCount"] = Number(data, "restoredGrantCount"),
                ["repairedAt"] = Text(data, "repairedAt"),
            });
    }

    private static NotificationDraft EvidenceComplete(string key, Grant grant, JsonElement data)
    {
        var critical = Number(data, "critical");
        var persistence = Number(data, "persistence");
        return new(NotificationTypes.EvidenceComplete, key, critical + persistence > 0 ? NotificationSeverity.Critical : NotificationSeverity.Info,
            $"Evidence complete: {grant.RoleName}",
            $"The evidence of {grant.RequesterName}'s grant on {grant.RoleName} is complete: {Number(data, "events")} call(s), {critical} critical, {persistence} creating lasting access. It is ready for review.",
            grant.Id,
            new Dictionary<string, object?>
            {
                ["requester"] = grant.RequesterName,
                ["role"] = grant.RoleName,
                ["events"] = Number(data, "events"),
                ["critical"] = critical,
                ["persistence"] = persistence,
                ["sha256"] = Text(data, "sha256"),
            });
    }

    private static NotificationDraft ReviewDecided(string key, Grant grant, string reviewer, JsonElement data)
    {
        var decision = Text(data, "decision");
        var flagged = decision == ReviewDecisions.Flagged;
        return new(NotificationTypes.ReviewDecided, key, flagged ? NotificationSeverity.Critical : NotificationSeverity.Info,
            flagged ? $"Review FLAGGED: {grant.RoleName}" : $"Review approved: {grant.RoleName}",
            flagged
                ? $"{reviewer} flagged {grant.RequesterName}'s grant on {grant.RoleName}: {Text(data, "notes")}"
                : $"{reviewer} approved {grant.RequesterName}'s grant on {grant.RoleName}.",
            grant.Id,
            new Dictionary<string, object?>
            {
                ["decision"] = decision,
                ["reviewer"] = reviewer,
                ["notes"] = Text(data, "notes"),
                ["requester"] = grant.RequesterName,
                ["role"] = grant.RoleName,
            });
    }

    private static NotificationDraft RoleRevokedAll(string key, string actor, JsonElement data)
    {
        var role = Text(data, "role");
        var ended = data.TryGetProperty("endedGrants", out var grants) && grants.ValueKind == JsonValueKind.Array ? grants.GetArrayLength() : 0;
        return new(NotificationTypes.RoleRevokedAll, key, NotificationSeverity.Critical,
            $"Panic button: every session of {role} revoked",
            $"{actor} revoked every session of {role} issued before {Text(data, "revokeSessionsIssuedBefore")} and ended {ended} open grant(s). Reason: {Text(data, "reason")}",
            null,
            new Dictionary<string, object?>
            {
                ["role"] = role,
                ["roleArn"] = Text(data, "roleArn"),
                ["actor"] = actor,
                ["reason"] = Text(data, "reason"),
                ["revokeSessionsIssuedBefore"] = Text(data, "revokeSessionsIssuedBefore"),
                ["endedGrants"] = ended,
            });
    }

    private static NotificationDraft PreflightFailed(string key, JsonElement data)
    {
        var failures = data.TryGetProperty("failures", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(item => item.GetString() ?? "").ToArray()
            : [];
        return new(NotificationTypes.CheckFailed, key, NotificationSeverity.Critical,
            "Preflight failed: the break-glass path is broken",
            $"Preflight found {failures.Length} role(s) whose break-glass path would fail: {string.Join("; ", failures)}",
            null,
            new Dictionary<string, object?> { ["check"] = "preflight", ["failures"] = failures });
    }

    private static NotificationDraft DrillFailed(string key, Guid? grantId, JsonElement data)
    {
        var stage = Text(data, "failedStage");
        var detail = data.TryGetProperty("stages", out var stages) && stages.ValueKind == JsonValueKind.Array
            ? stages.EnumerateArray().Where(item => Text(item, "name") == stage).Select(item => Text(item, "detail")).FirstOrDefault()
            : null;
        return new(NotificationTypes.CheckFailed, key, NotificationSeverity.Critical,
            $"Drill failed: the break-glass path is broken on {Text(data, "role")}",
            $"A break-glass drill on {Text(data, "role")} failed at stage {stage ?? "unknown"}: the emergency path did not work end to end. {detail}".TrimEnd(),
            grantId,
            new Dictionary<string, object?>
            {
                ["check"] = "drill",
                ["drillId"] = Text(data, "drillId"),
                ["role"] = Text(data, "role"),
                ["failedStage"] = stage,
                ["detail"] = detail,
            });
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string RoleArnName(string roleArn) => roleArn.Contains(":role/", StringComparison.Ordinal) ? RoleArn.RoleName(roleArn) : roleArn;

    private static bool? Bool(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    private static long Number(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : 0;

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;
}
