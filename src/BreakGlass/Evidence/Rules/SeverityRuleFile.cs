using System.Text.Json;
using System.Text.Json.Serialization;

namespace BreakGlass.Evidence.Rules;

/// <summary>The shape of a severity rules file (<c>severity-rules.v1.json</c>).</summary>
/// <param name="Persistence">
/// Events that create lasting access (a new user, key, trust, public exposure): every rule that matches flags the event
/// <c>persistence</c> and raises it to at least the rule's severity, whichever severity rule decided.
/// </param>
/// <param name="AfterEnd">Calls made after the grant ended: an accepted one means the cut-off failed; a refused one proves it held.</param>
/// <param name="Resources">
/// Which request parameters name the resource an event touched, for events whose CloudTrail record lists no
/// <c>resources</c> (most management events): the list grows as data, one entry per service and parameter.
/// </param>
/// <param name="Changes">Which event names create and which delete what they touch; every other accepted change changes it.</param>
internal sealed record SeverityRuleFile(
    int Version,
    FailureRules Failures,
    BreakGlassRoleRule BreakGlassRole,
    AfterEndRules AfterEnd,
    IReadOnlyList<SeverityRule> Persistence,
    IReadOnlyList<SeverityRule> Rules,
    IReadOnlyList<ResourceRule>? Resources = null,
    ChangeKindRules? Changes = null);

/// <param name="DeniedReadReason">Said of a refused read instead of the matching rule's reason: it read nothing.</param>
internal sealed record FailureRules(
    string Reason,
    IReadOnlyList<string> AccessDeniedErrorCodes,
    string AccessDeniedReason,
    Severity AccessDeniedMinimumSeverity,
    string DeniedReadReason);

internal sealed record AfterEndRules(string AcceptedReason, Severity AcceptedSeverity, string RefusedReason);

/// <summary>
/// Names a resource of type <see cref="Type"/> from the request parameters at <see cref="Parameters"/> (dotted paths;
/// lists are followed into each item), joined by "/" when there are several (an S3 object is bucket/key). Applies to
/// the events of <see cref="EventSources"/> and, when given, <see cref="EventNames"/> (patterns with <c>*</c>).
/// </summary>
internal sealed record ResourceRule(
    string Type, IReadOnlyList<string> Parameters, IReadOnlyList<string> EventSources, IReadOnlyList<string>? EventNames = null);

/// <summary>Event-name patterns (<c>*</c> for any run of characters) of the calls that create, and that delete, what they touch.</summary>
internal sealed record ChangeKindRules(IReadOnlyList<string> Created, IReadOnlyList<string> Deleted);

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
