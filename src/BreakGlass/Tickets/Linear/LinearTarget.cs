using Microsoft.Extensions.Options;

namespace BreakGlass.Tickets.Linear;

/// <summary>Where filed issues go: the configured team and label ids, resolved from names.</summary>
internal sealed record LinearTarget(LinearTeam Team, IReadOnlyList<string> LabelIds);

/// <summary>Holds the resolved <see cref="LinearTarget"/> for the life of the process: names resolve once.</summary>
internal sealed class LinearTargetCache
{
    private LinearTarget? _target;

    public LinearTarget? Target
    {
        get => Volatile.Read(ref _target);
        set => Volatile.Write(ref _target, value);
    }
}

internal sealed class LinearTargetResolver(LinearClient client, LinearTargetCache cache, IOptions<LinearOptions> options)
{
    /// <exception cref="LinearException">
    /// <see cref="LinearErrorKind.NotFound"/> with a message naming the setting when the team or a label does
    /// not exist; otherwise whatever Linear answered.
    /// </exception>
    public async Task<LinearTarget> ResolveAsync(CancellationToken cancellationToken)
    {
        if (cache.Target is { } cached)
            return cached;
        var settings = options.Value;
        var team = await client.ResolveTeamAsync(settings.TeamId!, cancellationToken)
            ?? throw new LinearException(LinearErrorKind.NotFound,
                $"Linear:TeamId \"{settings.TeamId}\" is not a team this API key can see (use the team's UUID).");
        var labelIds = settings.Labels.Count == 0
            ? new Dictionary<string, string>()
            : await client.ResolveLabelIdsAsync(team.Id, settings.Labels, cancellationToken);
        var missing = settings.Labels.Where(name => !labelIds.ContainsKey(name)).ToList();
        if (missing.Count > 0)
            throw new LinearException(LinearErrorKind.NotFound,
                $"Linear:Labels {string.Join(", ", missing.Select(name => $"\"{name}\""))} not found in team {team.Key} or as workspace labels (names are case-sensitive).");
        var target = new LinearTarget(team, [.. settings.Labels.Distinct().Select(name => labelIds[name])]);
        cache.Target = target;
        return target;
    }
}
