using System.Text.Json;
using System.Text.Json.Serialization;

namespace BreakGlass.Evidence.Rules;

/// <summary>The shape of a severity rules file (<c>severity-rules.v1.json</c>).</summary>
internal sealed record SeverityRuleFile(int Version, FailureRules Failures, BreakGlassRoleRule BreakGlassRole, IReadOnlyList<SeverityRule> Rules);

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
/// Holds when a request parameter with one of <see cref="Names"/> equals one of <see cref="EqualsAny"/>; with
/// <see cref="AnyDepth"/> the parameter may sit anywhere inside nested objects and lists.
/// </summary>
internal sealed record ParameterCondition(IReadOnlyList<string> Names, IReadOnlyList<JsonElement> EqualsAny, bool AnyDepth = false);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(SeverityRuleFile))]
internal sealed partial class SeverityRuleFileJsonContext : JsonSerializerContext;
