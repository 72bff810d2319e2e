using System.Text.Json;
using BreakGlass.Aws.CloudTrail;

namespace BreakGlass.Evidence.Rules;

/// <summary>
/// Classifies CloudTrail events by severity from a rules file: the first matching rule decides, and the
/// file must end with a rule that matches everything. Failures, access denials, calls aimed at the
/// break-glass role, calls that create lasting access (persistence) and calls made after the grant ended are flagged
/// whichever rule matched. The same file says which request parameters name what an event touched.
/// </summary>
internal sealed class SeverityRules
{
    private const string DefaultResource = "BreakGlass.Evidence.Rules.severity-rules.v1.json";
    private static readonly Lazy<SeverityRules> LazyDefault = new(LoadDefault);

    private readonly CompiledRule[] _rules;
    private readonly CompiledRule[] _persistence;
    private readonly FailureRules _failures;
    private readonly WildcardPattern[] _accessDenied;
    private readonly BreakGlassRoleRule _breakGlassRole;
    private readonly AfterEndRules _afterEnd;

    private SeverityRules(SeverityRuleFile file)
    {
        Version = file.Version;
        _rules = file.Rules.Select(rule => new CompiledRule(rule)).ToArray();
        _persistence = file.Persistence.Select(rule => new CompiledRule(rule)).ToArray();
        _failures = file.Failures;
        _accessDenied = file.Failures.AccessDeniedErrorCodes.Select(code => new WildcardPattern(code)).ToArray();
        _breakGlassRole = file.BreakGlassRole;
        _afterEnd = file.AfterEnd;
        Resources = new ResourceNamer(file.Resources ?? [], file.Changes);
    }

    /// <summary>The rules shipped in the assembly.</summary>
    public static SeverityRules Default => LazyDefault.Value;

    public int Version { get; }

    /// <summary>What an event touched and what it did to it, by the file's <c>resources</c> and <c>changes</c>.</summary>
    public ResourceNamer Resources { get; }

    /// <exception cref="InvalidDataException">The file is not a valid rules file.</exception>
    public static SeverityRules Load(Stream utf8Json)
    {
        SeverityRuleFile? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, SeverityRuleFileJsonContext.Default.SeverityRuleFile);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"the severity rules file is malformed: {exception.Message}", exception);
        }
        if (file is null) throw new InvalidDataException("the severity rules file is empty");
        Validate(file);
        return new SeverityRules(file);
    }

    /// <param name="record">The event.</param>
    /// <param name="breakGlassRoleName">The grant's role, to flag calls that change the break-glass role itself.</param>
    /// <param name="grantEndedAt">When the grant ended: a later call is flagged <c>after-end</c>, and is critical if AWS accepted it.</param>
    public Classification Classify(CloudTrailRecord record, string? breakGlassRoleName = null, DateTimeOffset? grantEndedAt = null)
    {
        var rule = _rules.First(candidate => candidate.Matches(record)).Rule;
        var severity = rule.Severity;
        var reasons = new List<string>(3) { rule.Reason };
        var flags = EventFlags.None;
        if (grantEndedAt is { } end && record.EventTime > end)
        {
            flags |= EventFlags.AfterEnd;
            if (record.ErrorCode is null)
            {
                severity = (Severity)Math.Max((int)severity, (int)_afterEnd.AcceptedSeverity);
                reasons.Insert(0, _afterEnd.AcceptedReason);
            }
            else
            {
                reasons.Insert(0, _afterEnd.RefusedReason);
            }
        }
        if (record.ErrorCode is { } errorCode)
        {
            flags |= EventFlags.Error;
            if (_accessDenied.Any(pattern => pattern.Matches(errorCode)))
            {
                flags |= EventFlags.AccessDenied;
                severity = (Severity)Math.Max((int)severity, (int)_failures.AccessDeniedMinimumSeverity);
                // A refused read read nothing: the rule's "reads without changing anything" would mislead.
                if (record.ReadOnly) reasons.Remove(rule.Reason);
                reasons.Add(record.ReadOnly ? $"{_failures.DeniedReadReason} ({errorCode})" : $"{_failures.AccessDeniedReason} ({errorCode})");
            }
            else
            {
                reasons.Add($"{_failures.Reason} ({errorCode})");
            }
        }
        if (breakGlassRoleName is not null && NamesRole(record, breakGlassRoleName))
        {
            flags |= EventFlags.TargetsBreakGlassRole;
            reasons.Add($"{_breakGlassRole.Reason} ({breakGlassRoleName})");
        }
        // A failed call created nothing; an attempt that was refused is flagged as a denial instead.
        foreach (var persistence in _persistence.Where(candidate => record.ErrorCode is null && candidate.Matches(record)).Select(candidate => candidate.Rule))
        {
            flags |= EventFlags.Persistence;
            severity = (Severity)Math.Max((int)severity, (int)persistence.Severity);
            reasons.Add(persistence.Reason);
        }
        return new Classification(severity, rule.Id, reasons, flags);
    }

    // IAM role names are unique regardless of case, so "BreakGlass" and "breakglass" are the same role.
    private bool NamesRole(CloudTrailRecord record, string roleName) =>
        record.RequestParameters is { } parameters
        && _breakGlassRole.ParameterNames.Any(name =>
            parameters.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.String
            && string.Equals(value.GetString(), roleName, StringComparison.OrdinalIgnoreCase));

    private static void Validate(SeverityRuleFile file)
    {
        if (file.Version != 1) throw new InvalidDataException($"severity rules version {file.Version} is not supported");
        if (file.Rules.Count == 0) throw new InvalidDataException("the severity rules file has no rules");
        var duplicate = file.Rules.Concat(file.Persistence).GroupBy(rule => rule.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"severity rule id '{duplicate.Key}' appears more than once");
        foreach (var rule in file.Rules.Concat(file.Persistence))
        {
            if (string.IsNullOrWhiteSpace(rule.Id) || string.IsNullOrWhiteSpace(rule.Reason))
                throw new InvalidDataException("every severity rule needs an id and a reason");
            if (rule.EventSources is { Count: 0 } || rule.EventNames is { Count: 0 } || rule.RequestParameters is { Count: 0 })
                throw new InvalidDataException($"severity rule '{rule.Id}' has an empty list, which could never match");
            if (rule.EventNames?.Any(string.IsNullOrWhiteSpace) == true)
                throw new InvalidDataException($"severity rule '{rule.Id}' has a blank event name");
            if (rule.RequestParameters?.Any(condition => condition.Names.Count == 0 || condition.EqualsAny is { Count: 0 }) == true)
                throw new InvalidDataException($"severity rule '{rule.Id}' has a parameter condition without names, or with an empty list of values");
        }
        if (!new CompiledRule(file.Rules[^1]).MatchesEverything)
            throw new InvalidDataException($"the last severity rule ('{file.Rules[^1].Id}') must match every event");
        var matchesEverything = file.Persistence.FirstOrDefault(rule => new CompiledRule(rule).MatchesEverything);
        if (matchesEverything is not null)
            throw new InvalidDataException($"the persistence rule '{matchesEverything.Id}' would flag every event");
        if (file.Failures.AccessDeniedErrorCodes.Count == 0 || file.BreakGlassRole.ParameterNames.Count == 0)
            throw new InvalidDataException("the failure and break-glass role sections need at least one code and one parameter name");
        if (string.IsNullOrWhiteSpace(file.Failures.DeniedReadReason) || string.IsNullOrWhiteSpace(file.AfterEnd.AcceptedReason)
            || string.IsNullOrWhiteSpace(file.AfterEnd.RefusedReason))
            throw new InvalidDataException("the failure and after-end sections need their reasons");
        if (ResourceNamer.Problems(file.Resources ?? []).FirstOrDefault() is { } resourceProblem) throw new InvalidDataException(resourceProblem);
        if (file.Changes is { } changes && changes.Created.Concat(changes.Deleted).Any(string.IsNullOrWhiteSpace))
            throw new InvalidDataException("the changes section has a blank event name");
    }

    private static SeverityRules LoadDefault()
    {
        using var stream = typeof(SeverityRules).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"the embedded resource {DefaultResource} is missing");
        return Load(stream);
    }
}
