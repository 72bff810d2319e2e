namespace BreakGlass.Evidence.Rules;

/// <summary>What the severity rules made of one event: the first rule that matched, and why.</summary>
internal sealed record Classification(Severity Severity, string RuleId, IReadOnlyList<string> Reasons, EventFlags Flags);
