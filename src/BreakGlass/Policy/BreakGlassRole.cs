namespace BreakGlass.Policy;

/// <summary>One AWS role engineers may break glass into, and who may (<c>Roles:N:*</c>).</summary>
internal sealed class BreakGlassRole
{
    public string Name { get; set; } = "";
    public string RoleArn { get; set; } = "";
    public int MaxDurationMinutes { get; set; } = 240;
    public string[] AllowedGroups { get; set; } = [];
    public bool RequireTicket { get; set; }

    /// <summary>The role's IAM MaxSessionDuration: STS refuses longer sessions (AWS default 1 hour).</summary>
    public int MaxSessionSeconds { get; set; } = 3600;
}
