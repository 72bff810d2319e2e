using System.Text.Json.Serialization;

namespace BreakGlass.Evidence.LeastPrivilege;

/// <summary>
/// The smallest IAM policy that would have allowed a session's successful calls: a suggestion for the reviewer, who
/// decides whether a narrower standing role would have served (docs/evidence.md#least-privilege-suggestion).
/// </summary>
/// <param name="Policy">The policy document; null when there is nothing to allow, or it cannot be made to fit IAM's limits.</param>
/// <param name="Notes">What was left out and why, and what was widened to fit IAM's size limit.</param>
/// <param name="BasedOnEvents">How many events the policy allows: the session's own successful calls before the grant ended.</param>
internal sealed record LeastPrivilegeSuggestion(PolicyDocument? Policy, IReadOnlyList<string> Notes, int BasedOnEvents)
{
    public const string SuggestionLabel =
        "Suggestion, not a decision: the smallest IAM policy that would have allowed this session's successful calls. " +
        "Review it before giving it to a standing role.";

    /// <summary>Says on every copy, in the API, on the page and in the pack, that this is a suggestion.</summary>
    [JsonPropertyOrder(-1)]
    public string Label => SuggestionLabel;
}
