namespace BreakGlass.DevIssuer;

/// <summary>A person the development provider signs in as. LOCAL DEVELOPMENT ONLY: nobody proves who they are.</summary>
public sealed record DevUser(string Name, string Email, IReadOnlyList<string> Groups, string Description = "")
{
    /// <summary>The quick start's people; their groups are the ones its BreakGlass maps to requester, reviewer, auditor.</summary>
    public static IReadOnlyList<DevUser> QuickStart { get; } =
    [
        new("alice", "alice@example.com", ["oncall"], "on-call engineer"),
        new("carol", "carol@example.com", ["cto"], "CTO, reviews break-glass sessions"),
        new("dave", "dave@example.com", ["auditors"], "auditor"),
    ];

    /// <summary>The stable <c>sub</c> BreakGlass knows this person by (the same as tokens minted for the email).</summary>
    public string Subject => DevTokenIssuer.SubjectFor(Email);

    /// <summary>The provider's <c>--user</c> argument for this person: <c>name=email:group,group</c>.</summary>
    public string ToArgument() => $"{Name}={Email}:{string.Join(',', Groups)}";

    public static DevUser Parse(string argument)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        var colon = argument.IndexOf(':', StringComparison.Ordinal);
        if (equals <= 0 || colon < equals + 2 || !argument[(equals + 1)..colon].Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"--user '{argument}' is not name=email:group,group");
        }
        var name = argument[..equals];
        if (!name.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_' or '.'))
        {
            throw new ArgumentException($"--user name '{name}' may hold letters, digits, '-', '_' and '.' only");
        }
        return new DevUser(name, argument[(equals + 1)..colon], argument[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}
