namespace BreakGlass.Tickets.Linear;

/// <summary>The <c>Linear</c> configuration section. Without an API key and a team, tickets stay pending.</summary>
internal sealed class LinearOptions
{
    public const string Section = "Linear";

    public Uri ApiUrl { get; set; } = new("https://api.linear.app/graphql");

    /// <summary>
    /// Sent as the <c>Authorization</c> header exactly as configured: a personal API key bare
    /// (<c>lin_api_…</c>), an OAuth access token as <c>Bearer &lt;token&gt;</c>. Never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>The UUID of the team new issues are filed in.</summary>
    public string? TeamId { get; set; }

    /// <summary>Label names put on filed issues; resolved to ids once (team labels first, then workspace labels).</summary>
    public List<string> Labels { get; set; } = [];

    /// <summary>How long one HTTP attempt may take before it counts as a transient failure.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a grant request may wait for Linear (looking up a named ticket, filing or linking); past it the
    /// grant is issued with its ticket pending and a job finishes the work.
    /// </summary>
    public int RequestBudgetMilliseconds { get; set; } = 2000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) && !string.IsNullOrWhiteSpace(TeamId);
}
