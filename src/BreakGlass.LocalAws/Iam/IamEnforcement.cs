using System.Collections.Concurrent;
using System.Globalization;
using BreakGlass.LocalAws.Proxy;

namespace BreakGlass.LocalAws.Iam;

/// <summary>
/// The AWS rules the front enforces on top of moto, for the code that depends on them:
/// <list type="bullet">
/// <item>sts:AssumeRole's <c>DurationSeconds</c>: 900-43200, at most the role's <c>MaxSessionDuration</c>, and at most
/// 3600 when the caller is itself a role session (role chaining), with AWS's exact <c>ValidationError</c> messages;</item>
/// <item>BreakGlass's deny (the role's inline policy <c>BreakGlassRevocations</c>) for calls made with sessions the
/// front saw issued, evaluated on their tags, source identity and issue time by <see cref="DenyStatementEvaluator"/>,
/// answering <c>AccessDenied</c> itself. moto stores that policy neutralised (<see cref="NeutralisedDeny"/>) so that it
/// does not refuse every session of the role; reading it back gives the document as written.</item>
/// <item>Accounts: moto keeps each account's IAM apart and a session acts in its role's account, so the deny is read
/// and neutralised in the account of the session (or of the agent session writing it), with the front's administrator
/// there. moto does not check the target role of a cross-account AssumeRole at all: the front refuses one whose role
/// does not exist, or whose trust requires an <c>sts:ExternalId</c> the call does not carry, with AWS's
/// <c>AccessDenied</c>.</item>
/// </list>
/// Not enforced: the chaining cap for role sessions issued by calls made straight to moto (the front cannot tell
/// them from user keys), other inline or managed policies' conditions, a cross-account trust policy's principal and
/// conditions other than the external id (the front does not know who a user key made straight in moto belongs to),
/// anything in an account the front has no administrator for, and anything at all when
/// <see cref="LocalAwsOptions.MotoAdmin"/> is not configured (then moto's own evaluation stands alone).
/// </summary>
internal sealed class IamEnforcement(IssuedSessions sessions, MotoAdmins admins, ILogger<IamEnforcement> logger)
{
    public const string DenyPolicyName = "BreakGlassRevocations";
    private const int RoleChainingCapSeconds = 3600;

    // What BreakGlass wrote, by role and the neutralised form moto holds: read-back returns it byte for byte.
    private readonly ConcurrentDictionary<(string Role, string Stored), string> _written = new();

    public bool IsActive => admins.IsActive;

    /// <summary>Calls whose response body the front needs: issued keys and the deny read back.</summary>
    public static bool ReadsResponse(AwsCall call) =>
        (call.Service, call.Action) is ("sts", "AssumeRole") || IsDenyPolicyCall(call, "GetRolePolicy");

    /// <summary>An answer of the front's own when AWS would refuse the call before doing it; null to forward it.</summary>
    public async Task<PendingAnswer?> RefuseAsync(AwsCall call, HttpRequest request, CancellationToken cancellationToken)
    {
        if (!admins.IsActive) return null;
        if ((call.Service, call.Action) is ("sts", "AssumeRole"))
        {
            if (await InvalidDurationAsync(call, cancellationToken) is { } problem) return AwsErrorAnswer.For(call, request, 400, "ValidationError", problem);
            if (await RefusedAcrossAccountsAsync(call, cancellationToken) is { } refusal) return AwsErrorAnswer.For(call, request, 403, "AccessDenied", refusal);
        }
        // AWS answers GetCallerIdentity even under an explicit deny.
        if ((call.Service, call.Action) is ("sts", "GetCallerIdentity") || sessions.Find(call.Credential.AccessKeyId) is not { } session) return null;
        if (admins.For(MotoAdmins.AccountOf(session.Arn) ?? admins.OwnAccountId) is not { } admin) return null;
        var stored = await admin.RolePolicyAsync(session.RoleName, DenyPolicyName, cancellationToken);
        if (stored is null) return null;
        var policy = NeutralisedDeny.Restore(stored) ?? stored;
        var action = $"{call.Service}:{call.Action}";
        if (DenyStatementEvaluator.FindDeny(policy, action, session.Context) is not { } sid) return null;
        logger.LogInformation("Session {AccessKeyId} of {Role} refused {Action} by {Sid}", session.AccessKeyId, session.RoleName, action, sid);
        return AwsErrorAnswer.For(call, request, 403, "AccessDenied",
            $"User: {session.Arn} is not authorized to perform: {action} with an explicit deny in an identity-based policy");
    }

    /// <summary>After moto answered: learn issued sessions, and store BreakGlass's deny in the form moto leaves to the front.</summary>
    public async Task AfterAsync(AwsCall call, CallOutcome outcome, CancellationToken cancellationToken)
    {
        sessions.Learn(call, outcome);
        if (outcome.StatusCode != 200 || !IsDenyPolicyCall(call, "PutRolePolicy") || admins.For(CallerAccount(call)) is not { } admin) return;
        var role = call.RequestParameters["roleName"]!.GetValue<string>();
        var document = call.RequestParameters["policyDocument"]?.GetValue<string>() ?? "";
        if (NeutralisedDeny.Neutralise(document) is not { } neutralised) return;
        await admin.PutRolePolicyAsync(role, DenyPolicyName, neutralised, cancellationToken);
        _written[(role, neutralised)] = document;
    }

    /// <summary>GetRolePolicy of the deny: the document as it was written, not moto's neutralised copy.</summary>
    public Func<byte[], byte[]>? ResponseRewrite(AwsCall call)
    {
        if (!admins.IsActive || !IsDenyPolicyCall(call, "GetRolePolicy")) return null;
        var role = call.RequestParameters["roleName"]!.GetValue<string>();
        return body =>
        {
            var text = System.Text.Encoding.UTF8.GetString(body);
            var start = text.IndexOf("<PolicyDocument>", StringComparison.Ordinal);
            var end = text.IndexOf("</PolicyDocument>", StringComparison.Ordinal);
            if (start < 0 || end < start) return body;
            start += "<PolicyDocument>".Length;
            var stored = Uri.UnescapeDataString(System.Net.WebUtility.HtmlDecode(text[start..end]));
            var original = _written.GetValueOrDefault((role, stored)) ?? NeutralisedDeny.Restore(stored);
            return original is null ? body : System.Text.Encoding.UTF8.GetBytes(text[..start] + Uri.EscapeDataString(original) + text[end..]);
        };
    }

    private async Task<string?> InvalidDurationAsync(AwsCall call, CancellationToken cancellationToken)
    {
        var requested = call.RequestParameters["durationSeconds"]?.GetValue<string>();
        if (requested is null) return null;
        if (!int.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 900)
        {
            return $"1 validation error detected: Value '{requested}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900";
        }
        if (seconds > 43200)
        {
            return $"1 validation error detected: Value '{requested}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200";
        }
        if (seconds > RoleChainingCapSeconds && sessions.Find(call.Credential.AccessKeyId) is not null)
        {
            return "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.";
        }
        var roleArn = call.RequestParameters["roleArn"]?.GetValue<string>() ?? "";
        if (admins.For(MotoAdmins.AccountOf(roleArn) ?? admins.OwnAccountId) is not { } admin) return null;
        var max = await admin.RoleMaxSessionDurationAsync(roleArn[(roleArn.LastIndexOf('/') + 1)..], cancellationToken);
        return seconds > max ? "The requested DurationSeconds exceeds the MaxSessionDuration set for this role." : null;
    }

    /// <summary>AWS's refusal of an AssumeRole into another account's role that does not exist or wants another external id.</summary>
    private async Task<string?> RefusedAcrossAccountsAsync(AwsCall call, CancellationToken cancellationToken)
    {
        var roleArn = call.RequestParameters["roleArn"]?.GetValue<string>() ?? "";
        var target = MotoAdmins.AccountOf(roleArn);
        if (target is null || target == CallerAccount(call) || admins.For(target) is not { } admin) return null;
        var trust = await admin.RoleTrustPolicyAsync(roleArn[(roleArn.LastIndexOf('/') + 1)..], cancellationToken);
        var externalId = call.RequestParameters["externalId"]?.GetValue<string>();
        if (trust is not null && RequiredExternalIds(trust) is var required && (required.Count == 0 || required.Contains(externalId ?? ""))) return null;
        var caller = sessions.Find(call.Credential.AccessKeyId)?.Arn ?? $"arn:aws:iam::{CallerAccount(call)}:user/{call.Credential.AccessKeyId}";
        return $"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {roleArn}";
    }

    /// <summary>The external ids a trust policy's <c>StringEquals sts:ExternalId</c> conditions accept; empty when none is required.</summary>
    private static HashSet<string> RequiredExternalIds(string trustPolicy)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var root = System.Text.Json.Nodes.JsonNode.Parse(trustPolicy);
        var statements = root?["Statement"] switch
        {
            System.Text.Json.Nodes.JsonArray array => array.OfType<System.Text.Json.Nodes.JsonObject>().ToList(),
            System.Text.Json.Nodes.JsonObject single => [single],
            _ => [],
        };
        foreach (var statement in statements)
        {
            switch (statement["Condition"]?["StringEquals"]?["sts:ExternalId"])
            {
                case System.Text.Json.Nodes.JsonValue value: ids.Add(value.GetValue<string>()); break;
                case System.Text.Json.Nodes.JsonArray values: ids.UnionWith(values.Select(id => id?.GetValue<string>() ?? "")); break;
            }
        }
        return ids;
    }

    /// <summary>The account a call acts in: a session the front saw issued acts in its role's account, any other key in the front's own.</summary>
    private string CallerAccount(AwsCall call) =>
        sessions.Find(call.Credential.AccessKeyId) is { } session ? MotoAdmins.AccountOf(session.Arn) ?? admins.OwnAccountId : admins.OwnAccountId;

    private static bool IsDenyPolicyCall(AwsCall call, string action) =>
        call.Service == "iam" && call.Action == action && call.RequestParameters["policyName"]?.GetValue<string>() == DenyPolicyName;
}
