using BreakGlass.Errors;
using BreakGlass.Grants;
using BreakGlass.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace BreakGlass.Web.Pages;

/// <summary>
/// Breaks glass from the form and shows the credentials once, in the answer to the post (no-store, never in a URL,
/// never kept). The same issuer, policy and rate limit as <c>POST /api/grants</c>.
/// </summary>
[EnableRateLimiting(GrantsApi.GrantRequestsRateLimit)]
internal sealed class BreakGlassModel(Eligibility eligibility, GrantIssuer issuer, GrantViews views, ConsoleSignIn console, TimeProvider time) : PageModel
{
    public BreakGlassForm Form { get; private set; } = null!;
    public GrantResponse? Grant { get; private set; }
    public ConsoleLink? Console { get; private set; }
    public DateTimeOffset Now { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync(
        string? role, int? durationMinutes, string? reason, string? ticket, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var roles = eligibility.RolesFor(User);
        // The key comes from our own form; anything else is treated as no key rather than trusted.
        var key = Guid.TryParse(idempotencyKey, out var parsed) ? parsed.ToString() : null;
        try
        {
            if (new[] { role, reason, ticket }.Any(TextInput.HasNul)) throw new InvalidRequestException(TextInput.NulRefused);
            var outcome = await issuer.IssueAsync(User, new CreateGrantRequest(role, durationMinutes, reason, ticket).Validate(), key, cancellationToken);
            Grant = await views.ViewAsync(outcome.Grant, outcome.Credentials, cancellationToken);
            if (outcome.Credentials is { } credentials)
            {
                Console = await console.LinkAsync(outcome.Grant.Id, credentials, outcome.Grant.ExpiresAt, cancellationToken);
            }
        }
        catch (DomainException refused)
        {
            Response.StatusCode = refused.StatusCode;
            Form = BreakGlassForm.Empty(roles) with { Role = role, DurationMinutes = durationMinutes, Reason = reason, Ticket = ticket, Error = refused.Message };
        }
        Now = time.GetUtcNow();
        return Page();
    }
}
