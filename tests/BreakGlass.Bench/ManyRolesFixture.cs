using BreakGlass.LocalAws;
using BreakGlass.Tests.Infrastructure;

namespace BreakGlass.Bench;

/// <summary>
/// The test fixture plus <paramref name="roles"/> roles of its own (<c>bench-0</c> …), with every AWS call going through
/// the LocalAws front, which records each call: IAM writes are counted there.
/// </summary>
internal sealed class ManyRolesFixture(int roles) : BreakGlassFixture
{
    // The base fixture configures Roles__0 to Roles__14.
    private const int FirstRoleIndex = 15;
    private int _baseRoleCount;

    public IReadOnlyList<string> BenchRoles { get; } = Enumerable.Range(0, roles).Select(index => $"bench-{index}").ToArray();

    private protected override LocalAwsOptions? LocalAwsFront => new();

    private protected override Task<AwsSandbox> CreateSandboxAsync(IReadOnlyList<string> roleNames)
    {
        _baseRoleCount = roleNames.Count;
        return AwsSandbox.CreateAsync(Moto, [.. roleNames, .. BenchRoles.Select(name => $"{name}-{Guid.NewGuid().ToString("N")[..6]}")]);
    }

    private protected override Task BeforeServiceStartsAsync()
    {
        for (var index = 0; index < BenchRoles.Count; index++)
        {
            Overrides[$"Roles__{FirstRoleIndex + index}__Name"] = BenchRoles[index];
            Overrides[$"Roles__{FirstRoleIndex + index}__RoleArn"] = Aws.RoleArns[_baseRoleCount + index];
            Overrides[$"Roles__{FirstRoleIndex + index}__AllowedGroups__0"] = TestIdentityProvider.RequesterGroup;
        }
        return Task.CompletedTask;
    }

    public string BenchRoleName(int index) => Aws.RoleArns[_baseRoleCount + index][(Aws.RoleArns[_baseRoleCount + index].LastIndexOf('/') + 1)..];

    /// <summary>How many calls of <paramref name="eventName"/> the front has recorded so far.</summary>
    public int CallCount(string eventName) => Front!.Events.Matching(call => call.EventName == eventName).Count;
}
