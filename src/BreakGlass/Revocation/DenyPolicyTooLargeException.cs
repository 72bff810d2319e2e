namespace BreakGlass.Revocation;

/// <summary>The deny policy would not fit in what IAM allows for a role's inline policies.</summary>
internal sealed class DenyPolicyTooLargeException(int characters, int characterBudget, int capacity)
    : Exception($"The revocation policy would be {characters} characters but only {characterBudget} are available; at most {capacity} grant ids fit.")
{
    public int Characters { get; } = characters;
    public int CharacterBudget { get; } = characterBudget;

    /// <summary>How many grant ids fit in <see cref="CharacterBudget"/>.</summary>
    public int Capacity { get; } = capacity;
}
