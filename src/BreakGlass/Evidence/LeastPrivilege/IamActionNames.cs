using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using BreakGlass.Evidence.Rules;

namespace BreakGlass.Evidence.LeastPrivilege;

/// <summary>
/// Which IAM actions a CloudTrail event needed, from a data file (<c>iam-action-names.v1.json</c>): eventSource
/// <c>x.amazonaws.com</c> is service prefix <c>x</c> and eventName <c>E</c> is action <c>x:E</c>, except where the file
/// says otherwise (S3's <c>ListObjectsV2</c> is <c>s3:ListBucket</c>, a console sign-in needs no permission, ...).
/// </summary>
internal sealed class IamActionNames
{
    private const string DefaultResource = "BreakGlass.Evidence.LeastPrivilege.iam-action-names.v1.json";
    private const string AwsServiceSuffix = ".amazonaws.com";
    private static readonly Lazy<IamActionNames> LazyDefault = new(LoadDefault);

    private readonly IamActionNameFile _file;
    private readonly Dictionary<string, Regex> _suffixes;
    private readonly (EventActionRule Rule, WildcardPattern[] Names)[] _events;

    private IamActionNames(IamActionNameFile file)
    {
        _file = file;
        _suffixes = file.EventNameSuffixes.ToDictionary(
            pair => pair.Key, pair => new Regex(pair.Value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), StringComparer.Ordinal);
        _events = file.Events.Select(rule => (rule, rule.EventNames.Select(name => new WildcardPattern(name)).ToArray())).ToArray();
    }

    /// <summary>The names shipped in the assembly.</summary>
    public static IamActionNames Default => LazyDefault.Value;

    /// <exception cref="InvalidDataException">The file is not a valid action names file.</exception>
    public static IamActionNames Load(Stream utf8Json)
    {
        IamActionNameFile? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, IamActionNameFileJsonContext.Default.IamActionNameFile);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"the IAM action names file is malformed: {exception.Message}", exception);
        }
        if (file is null) throw new InvalidDataException("the IAM action names file is empty");
        if (file.Version != 1) throw new InvalidDataException($"IAM action names version {file.Version} is not supported");
        if (file.Events.FirstOrDefault(rule => string.IsNullOrWhiteSpace(rule.EventSource) || rule.EventNames.Count == 0
                || rule.EventNames.Any(string.IsNullOrWhiteSpace) || rule.ResourceTypes is { Count: 0 }) is { } blank)
            throw new InvalidDataException($"the IAM action names entry for '{blank.EventSource}' needs a source, event names and no empty lists");
        if (file.Events.SelectMany(rule => rule.Actions ?? []).FirstOrDefault(action => !IamPolicyGrammar.IsAction(action)) is { } bad)
            throw new InvalidDataException($"'{bad}' is not an IAM action (service:Action)");
        if (file.ServicePrefixes.Values.FirstOrDefault(prefix => !IamPolicyGrammar.IsAction(prefix + ":x")) is { } badPrefix)
            throw new InvalidDataException($"'{badPrefix}' is not an IAM service prefix");
        if (file.ArnTemplates.Values.FirstOrDefault(template => !template.StartsWith("arn:{partition}:", StringComparison.Ordinal)
                || !template.Contains("{name}", StringComparison.Ordinal)) is { } badTemplate)
            throw new InvalidDataException($"the ARN template '{badTemplate}' must start with arn:{{partition}}: and contain {{name}}");
        return new IamActionNames(file);
    }

    /// <returns>What the call needed; null when the event is not an AWS service's (no IAM action can be named for it).</returns>
    public RequiredActions? For(string eventSource, string eventName)
    {
        var prefix = _file.ServicePrefixes.GetValueOrDefault(eventSource)
                     ?? (eventSource.EndsWith(AwsServiceSuffix, StringComparison.Ordinal) ? eventSource[..^AwsServiceSuffix.Length] : null);
        if (string.IsNullOrEmpty(prefix)) return null;
        var name = _suffixes.TryGetValue(eventSource, out var suffix) ? suffix.Replace(eventName, "") : eventName;
        var rule = _events.FirstOrDefault(candidate => candidate.Rule.EventSource == eventSource && candidate.Names.Any(pattern => pattern.Matches(name))).Rule;
        return new RequiredActions(rule?.Actions ?? [$"{prefix}:{name}"], rule?.ResourceTypes);
    }

    /// <returns>The resource's ARN: its name when that is one, else the file's template for its type; null when neither.</returns>
    public string? ArnOf(TouchedResource resource, string partition)
    {
        if (resource.Name.StartsWith("arn:", StringComparison.Ordinal)) return IamPolicyGrammar.IsResource(resource.Name) ? resource.Name : null;
        if (!_file.ArnTemplates.TryGetValue(resource.Type, out var template)) return null;
        var arn = template.Replace("{partition}", partition, StringComparison.Ordinal).Replace("{name}", resource.Name, StringComparison.Ordinal);
        return IamPolicyGrammar.IsResource(arn) ? arn : null;
    }

    private static IamActionNames LoadDefault()
    {
        using var stream = typeof(IamActionNames).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"the embedded resource {DefaultResource} is missing");
        return Load(stream);
    }
}

/// <param name="Actions">The IAM actions the call needed; empty when it needs no permission.</param>
/// <param name="ResourceTypes">The touched resources the actions are authorised against; null for all of them.</param>
internal sealed record RequiredActions(IReadOnlyList<string> Actions, IReadOnlyList<string>? ResourceTypes);

/// <summary>The shape of <c>iam-action-names.v1.json</c>.</summary>
/// <param name="ServicePrefixes">Event sources whose IAM service prefix is not the host name's first label.</param>
/// <param name="EventNameSuffixes">Per event source, a regular expression for what CloudTrail appends to the action's name.</param>
/// <param name="Events">The first entry that matches an event decides its actions and resource types.</param>
/// <param name="ArnTemplates">Resource types whose ARN follows from the name and the partition alone.</param>
internal sealed record IamActionNameFile(
    int Version,
    IReadOnlyDictionary<string, string> ServicePrefixes,
    IReadOnlyDictionary<string, string> EventNameSuffixes,
    IReadOnlyList<EventActionRule> Events,
    IReadOnlyDictionary<string, string> ArnTemplates);

/// <param name="EventNames">Patterns, <c>*</c> for any run of characters.</param>
/// <param name="Actions">Replaces the default action; empty when the call needs no permission.</param>
/// <param name="ResourceTypes">Narrows the resources to those of these types.</param>
internal sealed record EventActionRule(
    string EventSource, IReadOnlyList<string> EventNames, IReadOnlyList<string>? Actions = null, IReadOnlyList<string>? ResourceTypes = null);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(IamActionNameFile))]
internal sealed partial class IamActionNameFileJsonContext : JsonSerializerContext;
