using System.ComponentModel.DataAnnotations;

namespace BreakGlass.Grants;

internal sealed record CreateGrantRequest(
    [property: Required, StringLength(64, MinimumLength = 1)] string Role,
    [property: Range(1, 1440)] int DurationMinutes,
    [property: Required, StringLength(2000, MinimumLength = 10)] string Reason,
    [property: StringLength(300)] string? Ticket);

internal sealed record RevokeGrantRequest(
    [property: Required, StringLength(2000, MinimumLength = 3)] string Reason);
