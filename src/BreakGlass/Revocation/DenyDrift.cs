using System.Text.Json;
using BreakGlass.Audit;

namespace BreakGlass.Revocation;

/// <summary>How a role's deny in IAM differs from what the database says it must deny.</summary>
/// <param name="Finding"><c>deleted</c>, <c>edited</c> (not a document BreakGlass writes) or <c>grants-missing</c>.</param>
/// <param name="MissingGrantIds">Grant ids that must be denied and were not; every expected id when the document is gone or foreign.</param>
internal sealed record DenyDrift(string Finding, IReadOnlyList<Guid> MissingGrantIds)
{
    public const string Deleted = "deleted";
    public const string Edited = "edited";
    public const string GrantsMissing = "grants-missing";

    /// <summary>
    /// Null when <paramref name="document"/> (what IAM holds, null when there is none) still denies every id of
    /// <paramref name="expected"/> that is in <paramref name="confirmed"/> (ids whose deny was written and verified
    /// before; a revocation still in progress writes its own). Ids IAM holds beyond it are not drift: they are expired
    /// ids the next revocation prunes, and an extra id can only deny more. A document that is not exactly one
    /// BreakGlass writes is drift whatever it still denies: an added Allow or a changed Effect is an edit too.
    /// </summary>
    public static DenyDrift? Find(string? document, DenyPolicy expected, IReadOnlySet<Guid> confirmed)
    {
        var mustHold = expected.GrantIds.Where(confirmed.Contains).ToArray();
        if (document is null)
        {
            return mustHold.Length == 0 && expected.RevokeSessionsIssuedBefore is null ? null : new DenyDrift(Deleted, mustHold);
        }
        if (ParseOwn(document) is not { } held)
        {
            return new DenyDrift(Edited, mustHold);
        }
        var missing = mustHold.Except(held.GrantIds).ToArray();
        var cutoffMissing = expected.RevokeSessionsIssuedBefore is { } cutoff
                            && (held.RevokeSessionsIssuedBefore is not { } heldCutoff || heldCutoff < cutoff);
        return missing.Length == 0 && !cutoffMissing ? null : new DenyDrift(GrantsMissing, missing);
    }

    /// <summary>True when IAM holds exactly <paramref name="written"/> (or nothing, when it is empty): the read-back after a write.</summary>
    public static bool IsExactly(string? document, DenyPolicy written) =>
        written.IsEmpty
            ? document is null
            : document is not null && Canonical(document) is { } held && held == Canonical(written.ToJson());

    // The document parsed, if it is character for character (modulo JSON formatting) one that DenyPolicy writes.
    private static DenyPolicy? ParseOwn(string document)
    {
        try
        {
            var parsed = DenyPolicy.Parse(document);
            return !parsed.IsEmpty && Canonical(document) is { } held && held == Canonical(parsed.ToJson()) ? parsed : null;
        }
        catch (Exception unreadable) when (unreadable is JsonException or FormatException)
        {
            return null;
        }
    }

    private static string? Canonical(string json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json);
            return CanonicalJson.ToText(parsed.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
