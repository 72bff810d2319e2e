using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BreakGlass.Revocation;

/// <summary>
/// The one inline policy BreakGlass owns on a break-glass role. It denies everything to sessions whose
/// <c>breakglass-grant</c> session tag names a revoked grant and, after a panic, to every session issued
/// before a cut-off. IAM keeps only the ids: the caller passes each grant's credential expiry (from the
/// database) so ids whose credentials are dead anyway are pruned and the policy stays under IAM's size limit.
/// </summary>
internal sealed class DenyPolicy
{
    public const string PolicyName = "BreakGlassRevocations";

    /// <summary>The session tag key STS must set on every grant's session; its value is <see cref="GrantTagValue"/>.</summary>
    public const string GrantTagKey = "breakglass-grant";

    /// <summary>IAM's limit on the summed size of all inline policies of one role, whitespace not counted.</summary>
    public const int RoleInlinePolicyLimit = 10_240;

    /// <summary>An id is pruned only this long after its credentials expired: our clock and STS's may disagree.</summary>
    public static readonly TimeSpan ExpirySafetyMargin = TimeSpan.FromMinutes(5);

    /// <summary>The longest an assumed-role session can live; a panic cut-off older than this matches no live session.</summary>
    public static readonly TimeSpan MaxRoleSessionDuration = TimeSpan.FromHours(12);

    /// <summary>
    /// A console session signed in through the federation endpoint lives on its own clock, up to 12 hours, and can be
    /// started at any moment while the credentials are valid: its grant id stays denied this long after they expire.
    /// </summary>
    public static readonly TimeSpan ConsoleSessionLifetime = TimeSpan.FromHours(12);

    /// <summary>How long after a grant's last credentials expire its id stays in the deny.</summary>
    public static readonly TimeSpan DeniedAfterCredentialsExpire = ConsoleSessionLifetime + ExpirySafetyMargin;

    /// <summary>
    /// A cut-off stays this long: a session issued just before it lives up to 12 hours, and a console session signed
    /// in with it just before it expired 12 hours more.
    /// </summary>
    public static readonly TimeSpan CutoffLifetime = MaxRoleSessionDuration + ConsoleSessionLifetime + ExpirySafetyMargin;

    /// <summary>
    /// A revoked grant mints nothing once it has ended, but an AssumeRole already under way may still return, and our
    /// clock and AWS's may disagree: a cut-off covers a grant's sessions only when the grant ended this long before it.
    /// </summary>
    public static readonly TimeSpan CutoffCoversGrantsEndedBefore = ExpirySafetyMargin;

    private const string GrantsSid = "BreakGlassRevokedGrants";
    private const string SessionsSid = "BreakGlassRevokedSessionsIssuedBefore";
    private const string GrantConditionKey = "aws:PrincipalTag/" + GrantTagKey;
    private const string IssueTimeConditionKey = "aws:TokenIssueTime";
    private const string IssueTimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private DenyPolicy(IReadOnlyList<Guid> grantIds, DateTimeOffset? revokeSessionsIssuedBefore)
    {
        GrantIds = grantIds;
        RevokeSessionsIssuedBefore = revokeSessionsIssuedBefore;
    }

    /// <summary>The revoked grants still denied, ordered by their tag value so the document is stable.</summary>
    public IReadOnlyList<Guid> GrantIds { get; }

    /// <summary>Sessions issued before this instant are denied (the panic button), if set.</summary>
    public DateTimeOffset? RevokeSessionsIssuedBefore { get; }

    /// <summary>Nothing left to deny: the caller deletes the policy instead of putting it.</summary>
    public bool IsEmpty => GrantIds.Count == 0 && RevokeSessionsIssuedBefore is null;

    /// <summary>How a grant id is written in the session tag and in the policy: StringEquals is case-sensitive.</summary>
    public static string GrantTagValue(Guid grantId) => grantId.ToString("D");

    /// <summary>
    /// The policy for <paramref name="revoked"/> minus the grants whose credentials expired more than
    /// <see cref="DeniedAfterCredentialsExpire"/> ago (no console session of theirs can still be alive) and the grants a
    /// cut-off already covers. Throws <see cref="DenyPolicyTooLargeException"/> when the document would exceed
    /// <paramref name="characterBudget"/> (the role's limit minus its other inline policies).
    /// </summary>
    public static DenyPolicy Build(
        IEnumerable<DenyPolicyEntry> revoked,
        TimeProvider time,
        DateTimeOffset? revokeSessionsIssuedBefore = null,
        int characterBudget = RoleInlinePolicyLimit)
    {
        var now = time.GetUtcNow();
        var cutoff = revokeSessionsIssuedBefore is { } before && before + CutoffLifetime > now
            ? RoundUpToWholeSecond(before)
            : (DateTimeOffset?)null;
        var grantIds = revoked
            .Where(entry => entry.CredentialsExpireAt + DeniedAfterCredentialsExpire > now && !IsCoveredBy(cutoff, entry))
            .Select(entry => entry.GrantId)
            .Distinct()
            .OrderBy(GrantTagValue, StringComparer.Ordinal)
            .ToArray();
        var policy = new DenyPolicy(grantIds, cutoff);
        if (!policy.IsEmpty)
        {
            var characters = CountedCharacters(policy.ToJson());
            if (characters > characterBudget)
            {
                throw new DenyPolicyTooLargeException(characters, characterBudget, Capacity(characterBudget, cutoff is not null));
            }
        }
        return policy;
    }

    /// <summary>
    /// Like <see cref="Build"/>, but when the ids do not fit, cuts off every session of the role issued before now
    /// (<c>aws:TokenIssueTime</c>) so that the grants ended before it leave the list: the end of a grant never fails
    /// for want of space. The cut-off also refuses the live sessions of the role's other grants; they can get fresh
    /// credentials. Throws <see cref="DenyPolicyTooLargeException"/> only when even the grants ended within
    /// <see cref="CutoffCoversGrantsEndedBefore"/> do not fit.
    /// </summary>
    public static DenyPolicy BuildWithinLimit(
        IReadOnlyCollection<DenyPolicyEntry> revoked,
        TimeProvider time,
        DateTimeOffset? revokeSessionsIssuedBefore = null,
        int characterBudget = RoleInlinePolicyLimit)
    {
        try
        {
            return Build(revoked, time, revokeSessionsIssuedBefore, characterBudget);
        }
        catch (DenyPolicyTooLargeException)
        {
            return Build(revoked, time, time.GetUtcNow(), characterBudget);
        }
    }

    private static bool IsCoveredBy(DateTimeOffset? cutoff, DenyPolicyEntry entry) =>
        cutoff is { } before && entry.EndedAt is { } endedAt && endedAt + CutoffCoversGrantsEndedBefore <= before;

    /// <summary>How many grant ids fit in <paramref name="characterBudget"/>.</summary>
    public static int Capacity(int characterBudget = RoleInlinePolicyLimit, bool withSessionCutoff = false)
    {
        var oneId = CountedCharacters(
            new DenyPolicy([Guid.Empty], withSessionCutoff ? DateTimeOffset.UnixEpoch : null).ToJson());
        // Every further id adds its quoted value and a comma.
        var perId = GrantTagValue(Guid.Empty).Length + 3;
        return oneId > characterBudget ? 0 : 1 + (characterBudget - oneId) / perId;
    }

    /// <summary>A policy's size as IAM counts it against the limit: whitespace is not counted.</summary>
    public static int CountedCharacters(string policyDocument) => policyDocument.Count(c => !char.IsWhiteSpace(c));

    /// <summary>The minified policy document for <c>PutRolePolicy</c>.</summary>
    public string ToJson()
    {
        if (IsEmpty)
        {
            throw new InvalidOperationException("An empty deny policy is deleted, not put.");
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("Version", "2012-10-17");
            json.WriteStartArray("Statement");
            if (GrantIds.Count > 0)
            {
                WriteDenyAll(json, GrantsSid, "StringEquals", condition =>
                {
                    condition.WriteStartArray(GrantConditionKey);
                    foreach (var grantId in GrantIds)
                    {
                        condition.WriteStringValue(GrantTagValue(grantId));
                    }
                    condition.WriteEndArray();
                });
            }
            if (RevokeSessionsIssuedBefore is { } before)
            {
                WriteDenyAll(json, SessionsSid, "DateLessThan", condition =>
                    condition.WriteString(IssueTimeConditionKey, before.UtcDateTime.ToString(IssueTimeFormat, CultureInfo.InvariantCulture)));
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>
    /// What a policy document read back from IAM still denies: the grant ids and the panic cut-off.
    /// Expiries are not in IAM; they live in the database.
    /// </summary>
    public static DenyPolicy Parse(string policyDocument)
    {
        using var document = JsonDocument.Parse(policyDocument);
        var statements = Property(document.RootElement, "Statement");
        var grantIds = new List<Guid>();
        DateTimeOffset? cutoff = null;
        foreach (var statement in OneOrMany(statements))
        {
            var sid = statement.TryGetProperty("Sid", out var sidValue) ? sidValue.GetString() : null;
            if (sid == GrantsSid)
            {
                var values = ConditionValue(statement, "StringEquals", GrantConditionKey);
                foreach (var value in OneOrMany(values))
                {
                    grantIds.Add(Guid.ParseExact(value.GetString() ?? "", "D"));
                }
            }
            else if (sid == SessionsSid)
            {
                cutoff = DateTimeOffset.ParseExact(
                    ConditionValue(statement, "DateLessThan", IssueTimeConditionKey).GetString() ?? "",
                    IssueTimeFormat,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal);
            }
        }
        return new DenyPolicy(
            grantIds.Distinct().OrderBy(GrantTagValue, StringComparer.Ordinal).ToArray(),
            cutoff);
    }

    private static void WriteDenyAll(Utf8JsonWriter json, string sid, string @operator, Action<Utf8JsonWriter> writeCondition)
    {
        json.WriteStartObject();
        json.WriteString("Sid", sid);
        json.WriteString("Effect", "Deny");
        json.WriteString("Action", "*");
        json.WriteString("Resource", "*");
        json.WriteStartObject("Condition");
        json.WriteStartObject(@operator);
        writeCondition(json);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    // IAM accepts a single statement or value where a list is expected.
    private static IEnumerable<JsonElement> OneOrMany(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray() : [element];

    private static JsonElement ConditionValue(JsonElement statement, string @operator, string key) =>
        Property(Property(Property(statement, "Condition"), @operator), key);

    private static JsonElement Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new FormatException($"Not a BreakGlass revocation policy: '{name}' is missing.");

    /// <summary>How a cut-off is written: rounding down could let a session issued in its last fraction of a second through.</summary>
    public static DateTimeOffset RoundUpToWholeSecond(DateTimeOffset instant)
    {
        var ticks = instant.UtcTicks;
        var rounded = (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;
        return new DateTimeOffset(rounded, TimeSpan.Zero);
    }
}
