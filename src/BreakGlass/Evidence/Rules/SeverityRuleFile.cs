using System.Text.Json;
using System.Text.Json.Serialization;

namespace BreakGlass.Evidence.Rules;

/// <summary>The shape of a severity rules file (<c>severity-rules.v1.json</c>).</summary>
/// <param name="Persistence">
/// Events that create lasting access (a new user, key, trust, public exposure): every rule that matches flags the event
/// <c>persistence</c> and raises it to at least the rule's severity, whichever severity rule decided.
/// </param>
internal sealed record SeverityRuleFile(
    int Version, FailureRules Failures, BreakGlassRoleRule BreakGlassRole, IReadOnlyList<SeverityRule> Persistence, IReadOnlyList<SeverityRule> Rules);

internal sealed record FailureRules(
    string Reason,
    IReadOnlyList<string> AccessDeniedErrorCodes,
    string AccessDeniedReason,
    Severity AccessDeniedMinimumSeverity);

/// <summary>Which request parameters name a role, to notice calls aimed at the break-glass role.</summary>
internal sealed record BreakGlassRoleRule(IReadOnlyList<string> ParameterNames, string Reason);

/// <summary>A rule matches when every condition it states holds; an omitted condition matches anything.</summary>
internal sealed record SeverityRule(
    string Id,
    Severity Severity,
    string Reason,
    IReadOnlyList<string>? EventSources = null,
    IReadOnlyList<string>? EventNames = null,
    bool? ReadOnly = null,
    IReadOnlyList<ParameterCondition>? RequestParameters = null);

/// <summary>
/// Holds when a request parameter with one of <see cref="Names"/> equals one of <see cref="EqualsAny"/> (or, without
/// <see cref="EqualsAny"/>, has any value but null); with <see cref="AnyDepth"/> the parameter may sit anywhere inside
/// nested objects and lists.
/// </summary>
internal sealed record ParameterCondition(IReadOnlyList<string> Names, IReadOnlyList<JsonElement>? EqualsAny = null, bool AnyDepth = false);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SeverityRuleFile))]
internal sealed partial class SeverityRuleFileJsonContext : JsonSerializerContext;
