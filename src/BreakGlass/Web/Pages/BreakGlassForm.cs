using BreakGlass.Policy;

namespace BreakGlass.Web.Pages;

/// <summary>The break-glass form as last filled in, with a fresh idempotency key so a double submit makes one grant.</summary>
internal sealed record BreakGlassForm(
    IReadOnlyList<BreakGlassRole> Roles, string? Role, int? DurationMinutes, string? Reason, string? Ticket, string IdempotencyKey, string? Error)
{
    public static BreakGlassForm Empty(IReadOnlyList<BreakGlassRole> roles) =>
        new(roles, null, null, null, null, Guid.NewGuid().ToString(), null);
}
